import fc from "fast-check";
import {
  ALLOWED_BY_RELAXATION_COMMENT,
  DANGEROUS_SYSCALLS,
  DENIED_EXPLICITLY_COMMENT,
  SeccompProfile,
  SeccompProfileError,
  isSyscallDenied,
  parseSeccompProfile,
} from "../../lib/policy/seccomp";

const base = SeccompProfile.hardenedDefault();

function errorOf(action: () => unknown): SeccompProfileError {
  try {
    action();
  } catch (error) {
    if (error instanceof SeccompProfileError) return error;
    throw error;
  }
  throw new Error("expected a SeccompProfileError, but nothing was thrown");
}

describe("deny()", () => {
  test("removes the syscalls from the allowlist; the default action then refuses them", () => {
    const narrowed = base.deny(["chroot", "mknod", "mknodat", "read"]);
    expect(narrowed.access("mknod")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
    expect(narrowed.access("read")).toEqual({ kind: "denied", action: "SCMP_ACT_ERRNO", errno: 1 });
    expect(narrowed.allowedSyscalls()).not.toContain("mknodat");
    expect(narrowed.allowedSyscalls()).toHaveLength(base.allowedSyscalls().length - 3);
    // Under an allowlist no explicit rule is needed (and libseccomp would refuse one equal to
    // the default action).
    const comments = (narrowed.toObject().syscalls ?? []).map((r) => r.comment);
    expect(comments).not.toContain(DENIED_EXPLICITLY_COMMENT);
  });

  test("also removes conditional allow rules: deny(['clone']) leaves no clone rule", () => {
    const narrowed = base.deny(["clone"]);
    expect(narrowed.access("clone")).toEqual({
      kind: "denied",
      action: "SCMP_ACT_ERRNO",
      errno: 1,
    });
    const rules = narrowed.toObject().syscalls ?? [];
    expect(rules.filter((r) => r.names?.includes("clone"))).toEqual([]);
  });

  test("keeps clone3's ENOSYS answer: it is denied already", () => {
    expect(base.deny(["clone3"]).access("clone3")).toMatchObject({ kind: "denied", errno: 38 });
  });

  test("under a default-allow profile, adds one explicit EPERM rule", () => {
    const open = SeccompProfile.fromObject({ defaultAction: "SCMP_ACT_ALLOW" });
    const narrowed = open.deny(["ptrace", "bpf"]).deny(["mount", "bpf"]);
    expect(narrowed.toObject().syscalls).toEqual([
      {
        names: ["bpf", "mount", "ptrace"],
        action: "SCMP_ACT_ERRNO",
        errnoRet: 1,
        comment: DENIED_EXPLICITLY_COMMENT,
      },
    ]);
    expect(narrowed.denies("mount")).toBe(true);
    expect(narrowed.denies("read")).toBe(false);
  });

  test("leaves the profile it was called on unchanged", () => {
    const before = base.toJson();
    const narrowed = base.deny(["read"]);
    expect(base.toJson()).toBe(before);
    expect(base.denies("read")).toBe(false);
    expect(narrowed.denies("read")).toBe(true);
    expect(narrowed).not.toBe(base);
  });
});

describe("allow()", () => {
  test("adds the syscalls in one marked rule, visible in the JSON", () => {
    const relaxed = base.allow(["ptrace", "mount"]).allow(["ptrace", "keyctl"]);
    const rules = relaxed.toObject().syscalls ?? [];
    expect(rules[rules.length - 1]).toEqual({
      names: ["keyctl", "mount", "ptrace"],
      action: "SCMP_ACT_ALLOW",
      comment: ALLOWED_BY_RELAXATION_COMMENT,
    });
    expect(relaxed.relaxedSyscalls()).toEqual(["keyctl", "mount", "ptrace"]);
    expect(relaxed.denies("ptrace")).toBe(false);
    expect(isSyscallDenied(relaxed.toObject(), "mount")).toBe(false);
    // What was not allowed stays denied.
    expect(relaxed.denies("bpf")).toBe(true);
  });

  test("takes clone3 out of its ENOSYS rule, leaving no empty rule behind", () => {
    const relaxed = base.allow(["clone3"]);
    expect(relaxed.access("clone3")).toEqual({ kind: "allowed", action: "SCMP_ACT_ALLOW" });
    const rules = relaxed.toObject().syscalls ?? [];
    expect(rules.some((r) => r.action === "SCMP_ACT_ERRNO")).toBe(false);
    expect(rules.every((r) => (r.names ?? []).length > 0)).toBe(true);
  });

  test("replaces clone's argument filter by an unconditional allow", () => {
    const relaxed = base.allow(["clone"]);
    expect(relaxed.access("clone")).toEqual({ kind: "allowed", action: "SCMP_ACT_ALLOW" });
    const cloneRules = (relaxed.toObject().syscalls ?? []).filter((r) =>
      r.names?.includes("clone"),
    );
    expect(cloneRules).toHaveLength(1);
    expect(cloneRules[0].args).toBeUndefined();
  });

  test("does nothing for syscalls already allowed", () => {
    expect(base.allow(["read", "write"]).toJson()).toBe(base.toJson());
    expect(base.allow(["read"]).relaxedSyscalls()).toEqual([]);
  });

  test("accepts well-formed names this library does not know (new kernels add syscalls)", () => {
    expect(base.allow(["some_future_syscall"]).denies("some_future_syscall")).toBe(false);
  });

  test("under a default-allow profile, removes the syscall from the deny rules", () => {
    const open = SeccompProfile.fromObject({
      defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [{ names: ["mount", "bpf"], action: "SCMP_ACT_KILL" }],
    });
    const relaxed = open.allow(["mount"]);
    expect(relaxed.denies("mount")).toBe(false);
    expect(relaxed.denies("bpf")).toBe(true);
    expect(relaxed.toObject().syscalls).toEqual([{ names: ["bpf"], action: "SCMP_ACT_KILL" }]);
  });

  test("leaves the profile it was called on unchanged", () => {
    const before = base.toJson();
    base.allow(["ptrace"]);
    expect(base.toJson()).toBe(before);
    expect(base.denies("ptrace")).toBe(true);
  });
});

describe("input validation", () => {
  test.each([
    ["uppercase", "Mount"],
    ["a space", "mount "],
    ["a dash", "open-by-handle"],
    ["empty", ""],
    ["a shell metacharacter", "read;rm"],
  ])("deny() rejects a name with %s, naming the method, the index and the value", (_what, bad) => {
    const error = errorOf(() => base.deny(["read", bad]));
    expect(error.message).toContain("SeccompProfile.deny()");
    expect(error.message).toContain(`syscalls[1] = ${JSON.stringify(bad)}`);
    expect(error.message).toContain("lowercase letters, digits and underscores");
    expect(error.stack).toBe(`SeccompProfileError: ${error.message}`);
  });

  test("allow() rejects malformed names and an empty list", () => {
    expect(errorOf(() => base.allow(["PTRACE"])).message).toContain("SeccompProfile.allow()");
    expect(errorOf(() => base.allow([])).message).toContain("is empty: pass at least one");
  });

  test("allow() and deny() reject a non-array given from untyped code", () => {
    const untyped = base as unknown as { deny(x: unknown): unknown };
    expect(errorOf(() => untyped.deny("mount")).problems).toHaveLength(1);
  });

  test("denies() and access() reject malformed names instead of answering for a typo", () => {
    expect(errorOf(() => base.denies("Mount")).message).toContain('"Mount"');
  });
});

describe("serialization", () => {
  test("toJson() is compact JSON with a fixed key order", () => {
    const json = base.toJson();
    // No formatting whitespace: the text is exactly what JSON.stringify gives without indentation.
    expect(json).toBe(JSON.stringify(JSON.parse(json)));
    expect(json).not.toContain("\n");
    expect(
      json.startsWith('{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"archMap":['),
    ).toBe(true);
    expect(Object.keys(JSON.parse(json))).toEqual([
      "defaultAction",
      "defaultErrnoRet",
      "archMap",
      "syscalls",
    ]);
  });

  test("toJson() is deterministic: equal profiles give identical text, whatever the call order", () => {
    expect(SeccompProfile.hardenedDefault().toJson()).toBe(base.toJson());
    expect(base.deny(["mknod", "chroot"]).toJson()).toBe(
      base.deny(["chroot"]).deny(["mknod"]).toJson(),
    );
    expect(base.allow(["ptrace", "bpf"]).toJson()).toBe(
      base.allow(["bpf"]).allow(["ptrace"]).toJson(),
    );
  });

  test("toJson() parses back to the same profile", () => {
    const relaxed = base.allow(["ptrace"]).deny(["mknod"]);
    const parsed = parseSeccompProfile(relaxed.toJson());
    expect(parsed).toEqual({ ok: true, profile: relaxed.toObject() });
    expect(SeccompProfile.fromJson(relaxed.toJson()).toJson()).toBe(relaxed.toJson());
  });

  test("toObject() returns a copy: changing it does not change the profile", () => {
    const copy = base.toObject() as { defaultAction: string };
    copy.defaultAction = "SCMP_ACT_ALLOW";
    expect(base.toObject().defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(base.denies("mount")).toBe(true);
  });

  test("fromObject() writes a profile in canonical form (name folded into names, keys ordered)", () => {
    const profile = SeccompProfile.fromObject({
      syscalls: [{ action: "SCMP_ACT_ERRNO", name: "mount", errnoRet: 1 }],
      defaultAction: "SCMP_ACT_ALLOW",
    });
    expect(profile.toJson()).toBe(
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}',
    );
  });

  test("fromJson() reports bad input with the field path", () => {
    const error = errorOf(() => SeccompProfile.fromJson('{"defaultAction":"SCMP_ACT_MAYBE"}'));
    expect(error.message).toContain("seccomp profile JSON");
    expect(error.problems[0]).toMatch(/^defaultAction: /);
  });
});

describe("properties", () => {
  const names = fc.constantFrom<string>(
    ...DANGEROUS_SYSCALLS,
    "read",
    "write",
    "clone",
    "clone3",
    "socket",
    "personality",
    "mknod",
    "chroot",
    "openat",
  );
  const nameList = fc.array(names, { minLength: 1, maxLength: 8 });

  test("after deny(x), every name in x is denied, and nothing else changed", () => {
    fc.assert(
      fc.property(nameList, (list) => {
        const narrowed = base.deny(list);
        for (const n of list) expect(isSyscallDenied(narrowed.toObject(), n)).toBe(true);
        const removed = new Set<string>(list);
        expect(narrowed.allowedSyscalls()).toEqual(
          base.allowedSyscalls().filter((n) => !removed.has(n)),
        );
      }),
    );
  });

  test("after allow(x), every name in x is allowed unconditionally; deny(x) takes them back", () => {
    fc.assert(
      fc.property(nameList, (list) => {
        const relaxed = base.allow(list);
        for (const n of list) expect(relaxed.denies(n)).toBe(false);
        const again = relaxed.deny(list);
        for (const n of list) expect(isSyscallDenied(again.toObject(), n)).toBe(true);
        expect(base.denies("mount")).toBe(true);
      }),
    );
  });
});
