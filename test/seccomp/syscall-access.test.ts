import {
  DANGEROUS_SYSCALLS,
  SeccompProfileJson,
  deniedSyscalls,
  isSyscallDenied,
  syscallAccess,
  undeniedSyscalls,
  unconditionallyAllowedSyscalls,
} from "../../lib/policy/seccomp";

/** A default-allow profile with a few errno and kill rules, as people write them by hand. */
const denylist: SeccompProfileJson = {
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [
    { names: ["mount", "umount2", "ptrace"], action: "SCMP_ACT_ERRNO", errnoRet: 1 },
    { names: ["kexec_load"], action: "SCMP_ACT_KILL_PROCESS" },
    { names: ["bpf"], action: "SCMP_ACT_ERRNO" },
    // Denies unshare only for CLONE_NEWUSER: other namespaces stay reachable.
    {
      names: ["unshare"],
      action: "SCMP_ACT_ERRNO",
      args: [{ index: 0, value: 0x10000000, valueTwo: 0x10000000, op: "SCMP_CMP_MASKED_EQ" }],
    },
  ],
};

describe("a default-allow profile with errno rules", () => {
  test("what an errno rule lists is denied, with its errno", () => {
    expect(syscallAccess(denylist, "mount")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
    expect(isSyscallDenied(denylist, "umount2")).toBe(true);
  });

  test("an errno rule without errnoRet answers EPERM, as Docker does", () => {
    expect(syscallAccess(denylist, "bpf")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
  });

  test("a kill rule denies, without an errno", () => {
    expect(syscallAccess(denylist, "kexec_load")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_KILL_PROCESS",
    });
  });

  test("an errno rule with argument conditions does not deny the syscall outright", () => {
    expect(syscallAccess(denylist, "unshare")).toMatchObject({
      kind: "conditional",
      runsWhen: "unmatched",
    });
    expect(isSyscallDenied(denylist, "unshare")).toBe(false);
  });

  test("what no rule lists is allowed by the default action", () => {
    expect(syscallAccess(denylist, "setns")).toEqual({ kind: "allowed", action: "SCMP_ACT_ALLOW" });
  });

  test("deniedSyscalls() and undeniedSyscalls() split a list, in input order", () => {
    expect(deniedSyscalls(denylist, DANGEROUS_SYSCALLS)).toEqual([
      "mount",
      "umount2",
      "ptrace",
      "bpf",
      "kexec_load",
    ]);
    expect(undeniedSyscalls(denylist, ["setns", "mount", "unshare"])).toEqual(["setns", "unshare"]);
  });
});

describe("an unconfined-like profile", () => {
  test('{"defaultAction":"SCMP_ACT_ALLOW"} denies nothing', () => {
    const unconfined: SeccompProfileJson = { defaultAction: "SCMP_ACT_ALLOW" };
    expect(deniedSyscalls(unconfined, DANGEROUS_SYSCALLS)).toEqual([]);
    expect(unconditionallyAllowedSyscalls(unconfined)).toEqual([]);
  });

  test.each(["SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY"] as const)(
    "a %s default counts as allowing (it is not a denial the profile guarantees)",
    (action) => {
      expect(deniedSyscalls({ defaultAction: action }, DANGEROUS_SYSCALLS)).toEqual([]);
    },
  );
});

describe("an allowlist profile", () => {
  const allowlist: SeccompProfileJson = {
    defaultAction: "SCMP_ACT_ERRNO",
    defaultErrnoRet: 1,
    syscalls: [
      { names: ["read", "write"], action: "SCMP_ACT_ALLOW" },
      { names: ["ptrace"], action: "SCMP_ACT_LOG" },
      { name: "setns", action: "SCMP_ACT_ALLOW" },
      {
        names: ["mount"],
        action: "SCMP_ACT_ALLOW",
        args: [{ index: 3, value: 0, op: "SCMP_CMP_GE" }],
      },
      { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38 },
    ],
  };

  test("what no rule allows is denied by the default action, with defaultErrnoRet", () => {
    expect(syscallAccess(allowlist, "bpf")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
  });

  test("a LOG rule allows (it only logs)", () => {
    expect(isSyscallDenied(allowlist, "ptrace")).toBe(false);
  });

  test("the deprecated single `name` form is read too", () => {
    expect(isSyscallDenied(allowlist, "setns")).toBe(false);
  });

  test("an allow rule with argument conditions makes the syscall reachable: not denied", () => {
    // `arg3 >= 0` holds for every call: a condition is no guarantee of a denial.
    expect(syscallAccess(allowlist, "mount")).toEqual({
      kind: "conditional",
      runsWhen: "matched",
      conditions: [[{ index: 3, value: 0, op: "SCMP_CMP_GE" }]],
    });
    expect(isSyscallDenied(allowlist, "mount")).toBe(false);
  });

  test("an explicit errno rule gives its own errno", () => {
    expect(syscallAccess(allowlist, "clone3")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 38,
    });
  });

  test("when one rule allows and another denies the same syscall, it counts as allowed", () => {
    const both: SeccompProfileJson = {
      defaultAction: "SCMP_ACT_ERRNO",
      syscalls: [
        { names: ["bpf"], action: "SCMP_ACT_ERRNO" },
        { names: ["bpf"], action: "SCMP_ACT_ALLOW" },
      ],
    };
    expect(isSyscallDenied(both, "bpf")).toBe(false);
  });

  test("unconditionallyAllowedSyscalls() lists only rules without conditions", () => {
    expect(unconditionallyAllowedSyscalls(allowlist)).toEqual(["ptrace", "read", "setns", "write"]);
  });
});

describe("capability-gated rules (as in Docker's own default profile)", () => {
  const dockerLike: SeccompProfileJson = {
    defaultAction: "SCMP_ACT_ERRNO",
    syscalls: [
      { names: ["read"], action: "SCMP_ACT_ALLOW" },
      {
        names: ["mount", "unshare"],
        action: "SCMP_ACT_ALLOW",
        includes: { caps: ["CAP_SYS_ADMIN"] },
      },
      {
        names: ["clone3"],
        action: "SCMP_ACT_ERRNO",
        errnoRet: 38,
        excludes: { caps: ["CAP_SYS_ADMIN"] },
      },
      { names: ["ptrace"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4.8" } },
    ],
  };

  test("capabilities unknown: a rule that could allow is assumed to apply", () => {
    expect(isSyscallDenied(dockerLike, "mount")).toBe(false);
    // A denial that depends on capabilities is not relied on either.
    expect(syscallAccess(dockerLike, "clone3")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
  });

  test("without CAP_SYS_ADMIN, the gated allow rule does not apply", () => {
    expect(isSyscallDenied(dockerLike, "mount", { capabilities: [] })).toBe(true);
    expect(isSyscallDenied(dockerLike, "unshare", { capabilities: ["NET_BIND_SERVICE"] })).toBe(
      true,
    );
    expect(syscallAccess(dockerLike, "clone3", { capabilities: [] })).toMatchObject({ errno: 38 });
  });

  test("with CAP_SYS_ADMIN (either spelling, or ALL), it applies", () => {
    expect(isSyscallDenied(dockerLike, "mount", { capabilities: ["SYS_ADMIN"] })).toBe(false);
    expect(isSyscallDenied(dockerLike, "mount", { capabilities: ["cap_sys_admin"] })).toBe(false);
    expect(isSyscallDenied(dockerLike, "mount", { capabilities: ["ALL"] })).toBe(false);
    expect(syscallAccess(dockerLike, "clone3", { capabilities: ["SYS_ADMIN"] })).toMatchObject({
      errno: 1,
    });
  });

  test("a kernel-version gate on an allow rule is assumed to be met", () => {
    expect(isSyscallDenied(dockerLike, "ptrace", { capabilities: [] })).toBe(false);
  });
});
