import { DEFAULT_ALLOWED_SYSCALLS } from "./default-allowlist";
import { SeccompArchMapEntry, SeccompProfileJson, SeccompSyscallRule } from "./profile-types";

/** EPERM: what a denied syscall returns, as in Docker's profile. */
export const EPERM = 1;
/** ENOSYS: what `clone3` returns, so that glibc and musl fall back to `clone`. */
export const ENOSYS = 38;

/**
 * The namespace flags `clone` may not carry: CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
 * CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
 * (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000).
 * Docker's rule: allow `clone` when `(flags & CLONE_NAMESPACE_FLAGS) == 0`.
 */
export const CLONE_NAMESPACE_FLAGS = 0x7e020000; // 2114060288

/**
 * The `personality` values Docker allows: PER_LINUX (0), UNAME26 (0x0008), PER_LINUX32
 * (0x0008_0000 >> 2 = 0x20000), PER_LINUX32 | UNAME26 (0x20008), and 0xffffffff (query only).
 */
export const ALLOWED_PERSONALITIES = [0, 8, 131072, 131080, 4294967295] as const;

/** AF_VSOCK, the one socket family Docker refuses (host-guest sockets). */
export const AF_VSOCK = 40;

/** x86_64 with its x86 and x32 compat ABIs, aarch64 with arm: as in Docker's archMap. */
export const HARDENED_ARCH_MAP: readonly SeccompArchMapEntry[] = [
  { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
  { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
];

/** Builds the rules of the shipped profile, in a fixed order. */
function hardenedRules(): SeccompSyscallRule[] {
  return [
    { names: [...DEFAULT_ALLOWED_SYSCALLS].sort(), action: "SCMP_ACT_ALLOW" },
    {
      names: ["socket"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: AF_VSOCK, op: "SCMP_CMP_NE" }],
    },
    ...ALLOWED_PERSONALITIES.map((value): SeccompSyscallRule => ({
      names: ["personality"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value, op: "SCMP_CMP_EQ" }],
    })),
    {
      names: ["arch_prctl"],
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["amd64", "x32"] },
    },
    {
      names: [
        "arm_fadvise64_64",
        "arm_sync_file_range",
        "breakpoint",
        "cacheflush",
        "set_tls",
        "sync_file_range2",
      ],
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["arm", "arm64"] },
    },
    {
      names: ["clone"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
      comment: "clone without namespace flags: fork and threads work, new namespaces do not",
      excludes: { arches: ["s390", "s390x"] },
    },
    {
      names: ["clone"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 1, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
      comment: "s390 parameter ordering for clone is different",
      includes: { arches: ["s390", "s390x"] },
    },
    {
      names: ["clone3"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: ENOSYS,
      comment: "clone3 flags live in memory seccomp cannot read: ENOSYS makes libc use clone",
    },
  ];
}

/**
 * The profile the library ships: an allowlist (every syscall not listed fails with EPERM) close
 * to Docker's default profile for a container without extra capabilities, and stricter in the
 * places listed in `STRICTER_THAN_DOCKER`. No rule depends on the container's capabilities, so
 * adding a capability never widens the syscall surface.
 */
export function hardenedDefaultProfile(): SeccompProfileJson {
  return {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: EPERM,
    archMap: HARDENED_ARCH_MAP.map((a) => ({
      architecture: a.architecture,
      subArchitectures: a.subArchitectures ? [...a.subArchitectures] : null,
    })),
    syscalls: hardenedRules(),
  };
}
