/**
 * Syscalls that the shipped profile must never allow, and that the policy rule
 * `HD-SECCOMP-DENYLIST` checks every inline profile against. Each one either breaks out of the
 * container's isolation (namespaces, mounts, kernel modules, kexec), reaches into other
 * processes or the kernel's keyrings, or is a frequent source of kernel exploits (bpf,
 * perf_event_open, userfaultfd).
 */
export const DANGEROUS_SYSCALLS = [
  "mount",
  "umount2",
  "unshare",
  "setns",
  "pivot_root",
  "keyctl",
  "add_key",
  "request_key",
  "ptrace",
  "bpf",
  "perf_event_open",
  "kexec_load",
  "init_module",
  "finit_module",
  "delete_module",
  "reboot",
  "swapon",
  "swapoff",
  "open_by_handle_at",
  "userfaultfd",
  // The new mount API: each step of mount(2) as its own syscall (Linux 5.2+).
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "move_mount",
  "open_tree",
  "mount_setattr",
  // io_uring: a second syscall interface that seccomp cannot filter, and many kernel bugs.
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  // With CAP_SYS_CHROOT, the first step of the classic chroot escape.
  "chroot",
] as const;

/**
 * `clone` and `clone3` create namespaces when given CLONE_NEW* flags: a profile must allow
 * `clone` only when its flags argument carries none of them (`CLONE_NAMESPACE_FLAGS`), and must
 * deny `clone3` (any errno: its flags live in memory seccomp cannot read), as the shipped
 * profile does. `HD-SECCOMP-DENYLIST` checks both with `namespaceCloneAllowed`.
 */
export const NAMESPACE_CREATING_SYSCALLS = ["clone", "clone3"] as const;

/** One of {@link DANGEROUS_SYSCALLS}. */
export type DangerousSyscall = (typeof DANGEROUS_SYSCALLS)[number];

/**
 * Further syscalls that Docker's default profile allows only when the container holds an extra
 * capability (CAP_SYS_ADMIN, CAP_SYS_TIME, CAP_SYS_PTRACE, CAP_SYS_NICE, ...), plus obsolete
 * ones it never allows. The shipped profile keeps all of them out, exactly as Docker does for a
 * container without extra capabilities; granting a capability does not bring them back.
 */
export const CAPABILITY_GATED_SYSCALLS = [
  // CAP_SYS_ADMIN: mounts and the new mount API, quotas, host names, syslog, fanotify.
  "umount",
  "mount_setattr",
  "move_mount",
  "open_tree",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "quotactl",
  "quotactl_fd",
  "lookup_dcookie",
  "sethostname",
  "setdomainname",
  "syslog",
  "fanotify_init",
  // CAP_SYS_BOOT / CAP_SYS_MODULE / CAP_SYS_PACCT / CAP_SYS_CHROOT
  "kexec_file_load",
  "acct",
  "chroot",
  // CAP_SYS_TIME
  "settimeofday",
  "stime",
  "clock_settime",
  "clock_settime64",
  // CAP_SYS_TTY_CONFIG / CAP_SYS_RAWIO / CAP_SYS_NICE / CAP_SYS_PTRACE
  "vhangup",
  "iopl",
  "ioperm",
  "get_mempolicy",
  "mbind",
  "set_mempolicy",
  "set_mempolicy_home_node",
  "kcmp",
  "pidfd_getfd",
  "process_madvise",
  // Obsolete or never allowed by Docker.
  "nfsservctl",
  "uselib",
  "ustat",
  "sysfs",
  "_sysctl",
  "create_module",
  "get_kernel_syms",
  "query_module",
] as const;

/**
 * Syscalls Docker's default profile allows to every container but the shipped profile denies,
 * with the reason. This is where the hardened profile is stricter than Docker's.
 */
export const STRICTER_THAN_DOCKER: Readonly<Record<string, string>> = {
  ptrace:
    "Docker allows it on kernels >= 4.8; a server has no need to trace processes, and tracing is the first step of many container escapes",
  process_vm_readv: "reads another process's memory; allowed by Docker together with ptrace",
  process_vm_writev: "writes another process's memory; allowed by Docker together with ptrace",
  io_uring_setup:
    "io_uring has been the source of many kernel privilege escalations; Docker 25 and later deny it as well",
  io_uring_enter: "see io_uring_setup",
  io_uring_register: "see io_uring_setup",
  modify_ldt:
    "x86 local descriptor tables are only needed by 16-bit code and Wine, and were the source of several kernel bugs",
};
