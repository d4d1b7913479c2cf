import {
  AF_VSOCK,
  CAPABILITY_GATED_SYSCALLS,
  CLONE_NAMESPACE_FLAGS,
  DANGEROUS_SYSCALLS,
  DEFAULT_ALLOWED_SYSCALLS,
  SeccompProfile,
  STRICTER_THAN_DOCKER,
  isSyscallDenied,
} from "../../lib/policy/seccomp";

const profile = SeccompProfile.hardenedDefault();
const object = profile.toObject();

// The flags from <linux/sched.h>, written out here so the test does not reuse the library's sum.
const CLONE_NEWNS = 0x00020000;
const CLONE_NEWCGROUP = 0x02000000;
const CLONE_NEWUTS = 0x04000000;
const CLONE_NEWIPC = 0x08000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;

describe("SeccompProfile.hardenedDefault(): the shape of the shipped profile", () => {
  test("is an allowlist: everything not listed fails with EPERM (errno 1)", () => {
    expect(object.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(object.defaultErrnoRet).toBe(1);
  });

  test("covers x86_64 (+x86, x32) and aarch64 (+arm) like Docker's archMap", () => {
    expect(object.archMap).toEqual([
      { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
      { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
    ]);
  });

  test("no rule depends on capabilities, so adding one never widens the syscall surface", () => {
    for (const rule of object.syscalls ?? []) {
      expect(rule.includes?.caps).toBeUndefined();
      expect(rule.excludes?.caps).toBeUndefined();
    }
  });

  test("every rule that allows something is an SCMP_ACT_ALLOW rule (no LOG/TRACE/NOTIFY loophole)", () => {
    const actions = new Set((object.syscalls ?? []).map((r) => r.action));
    expect([...actions].sort()).toEqual(["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO"]);
  });
});

describe("the dangerous syscalls are denied", () => {
  test("the list holds the thirty-one syscalls the policy checks", () => {
    expect(new Set(DANGEROUS_SYSCALLS).size).toBe(31);
    for (const name of ["fsopen", "fsmount", "fsconfig", "move_mount", "open_tree", "chroot"]) {
      expect(DANGEROUS_SYSCALLS).toContain(name);
    }
    expect(DANGEROUS_SYSCALLS).toEqual(
      expect.arrayContaining(["io_uring_setup", "io_uring_enter", "io_uring_register"]),
    );
  });

  test.each([...DANGEROUS_SYSCALLS])("%s fails with EPERM", (name) => {
    expect(profile.denies(name)).toBe(true);
    expect(profile.access(name)).toEqual({ kind: "denied", action: "SCMP_ACT_ERRNO", errno: 1 });
    expect(isSyscallDenied(object, name)).toBe(true);
  });

  test.each([...CAPABILITY_GATED_SYSCALLS])(
    "%s (capability-gated in Docker's profile) is denied",
    (name) => {
      expect(isSyscallDenied(object, name)).toBe(true);
      expect(isSyscallDenied(object, name, { capabilities: ["ALL"] })).toBe(true);
    },
  );

  test.each(Object.keys(STRICTER_THAN_DOCKER))(
    "%s (allowed by Docker, denied here) is denied",
    (name) => {
      expect(isSyscallDenied(object, name)).toBe(true);
    },
  );

  test("the unconditional allowlist shares no name with any denial list", () => {
    const denied = new Set<string>([
      ...DANGEROUS_SYSCALLS,
      ...CAPABILITY_GATED_SYSCALLS,
      ...Object.keys(STRICTER_THAN_DOCKER),
      "clone",
      "clone3",
    ]);
    expect(DEFAULT_ALLOWED_SYSCALLS.filter((n) => denied.has(n))).toEqual([]);
    expect(new Set(DEFAULT_ALLOWED_SYSCALLS).size).toBe(DEFAULT_ALLOWED_SYSCALLS.length);
  });
});

describe("what a server needs is allowed", () => {
  const COMMON = [
    "read",
    "write",
    "openat",
    "close",
    "fstat",
    "newfstatat",
    "lseek",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "execve",
    "futex",
    "bind",
    "listen",
    "accept4",
    "connect",
    "sendto",
    "recvfrom",
    "setsockopt",
    "exit_group",
    "rt_sigaction",
    "rt_sigprocmask",
    "mmap",
    "munmap",
    "mprotect",
    "brk",
    "wait4",
    "getpid",
    "gettid",
    "nanosleep",
    "clock_gettime",
    "getrandom",
    "pipe2",
    "dup3",
    "set_robust_list",
    "rseq",
    "prlimit64",
    "arch_prctl",
  ];

  test.each(COMMON)("%s is allowed unconditionally", (name) => {
    expect(profile.denies(name)).toBe(false);
    expect(profile.access(name)).toEqual({ kind: "allowed", action: "SCMP_ACT_ALLOW" });
    expect(profile.allowedSyscalls()).toContain(name);
  });

  test("clone is allowed only without namespace flags (Docker's masked-eq filter on arg 0)", () => {
    expect(CLONE_NAMESPACE_FLAGS).toBe(
      CLONE_NEWNS |
        CLONE_NEWCGROUP |
        CLONE_NEWUTS |
        CLONE_NEWIPC |
        CLONE_NEWUSER |
        CLONE_NEWPID |
        CLONE_NEWNET,
    );
    expect(CLONE_NAMESPACE_FLAGS).toBe(2114060288);
    const rules = (object.syscalls ?? []).filter((r) => r.names?.includes("clone"));
    const mainRule = rules.find((r) => r.excludes?.arches?.includes("s390x"));
    expect(mainRule).toMatchObject({
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: 2114060288, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ" }],
    });
    // Threads and fork still work: clone is conditionally allowed, not denied.
    expect(profile.access("clone")).toMatchObject({ kind: "conditional", runsWhen: "matched" });
    expect(isSyscallDenied(object, "clone")).toBe(false);
    expect(profile.denies("clone")).toBe(true);
  });

  test("clone3 fails with ENOSYS (38), not EPERM, so libc falls back to clone", () => {
    expect(profile.access("clone3")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 38,
    });
  });

  test("socket is allowed for every family except AF_VSOCK (40)", () => {
    expect(AF_VSOCK).toBe(40);
    expect(profile.access("socket")).toEqual({
      kind: "conditional",
      runsWhen: "matched",
      conditions: [[{ index: 0, value: 40, op: "SCMP_CMP_NE" }]],
    });
  });

  test("personality is allowed only for Docker's harmless personas", () => {
    const access = profile.access("personality");
    expect(access.kind).toBe("conditional");
    const values =
      access.kind === "conditional"
        ? access.conditions.map((c) => {
            expect(c).toHaveLength(1);
            expect(c[0].op).toBe("SCMP_CMP_EQ");
            return c[0].value;
          })
        : [];
    // PER_LINUX, UNAME26, PER_LINUX32, PER_LINUX32|UNAME26, and the query value 0xffffffff.
    expect(values).toEqual([0x0, 0x0008, 0x20000, 0x20008, 0xffffffff]);
  });
});
