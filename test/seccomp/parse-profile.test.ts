import {
  SeccompProfile,
  parseSeccompProfile,
  parseSeccompProfileObject,
  parseSeccompSecurityOpt,
} from "../../lib/policy/seccomp";

function problemsOf(json: string): readonly string[] {
  const result = parseSeccompProfile(json);
  if (result.ok) throw new Error(`expected ${json} to be rejected`);
  return result.problems;
}

describe("parseSeccompProfile()", () => {
  test("reads a minimal profile", () => {
    expect(parseSeccompProfile('{"defaultAction":"SCMP_ACT_ALLOW"}')).toEqual({
      ok: true,
      profile: { defaultAction: "SCMP_ACT_ALLOW" },
    });
  });

  test("drops fields Docker ignores, keeps the ones it reads", () => {
    const result = parseSeccompProfile(
      '{"defaultAction":"SCMP_ACT_ERRNO","x-note":"hi","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","extra":1}]}',
    );
    expect(result).toEqual({
      ok: true,
      profile: {
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["read"], action: "SCMP_ACT_ALLOW" }],
      },
    });
  });

  test("says when the text is not JSON, e.g. a file path, and what to pass instead", () => {
    const [problem] = problemsOf("/etc/docker/seccomp.json");
    expect(problem).toContain("not JSON");
    expect(problem).toContain('"/etc/docker/seccomp.json"');
    expect(problem).toContain("not a file path");
  });

  test("requires defaultAction", () => {
    // Without an action or a rule the daemon loads no filter at all (Go's reading of the profile).
    expect(problemsOf('{"syscalls":[]}')[0]).toMatch(/without seccomp/);
    expect(problemsOf('{"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}')[0]).toMatch(
      /^defaultAction: /,
    );
  });

  test("names the field path of a bad action", () => {
    const problems = problemsOf(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["x"],"action":"ALLOW"}]}',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^syscalls\[1\]\.action: /);
  });

  test("rejects a bad argument operator and an argument index above 5", () => {
    const problems = problemsOf(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":6,"value":0,"op":"SCMP_CMP_ALWAYS"}]}]}',
    );
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "syscalls[0].args[0].index",
      "syscalls[0].args[0].op",
    ]);
  });

  test("rejects a rule with no names, and one with both name and names (Docker refuses it)", () => {
    expect(
      problemsOf(
        '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":[],"action":"SCMP_ACT_ALLOW"}]}',
      )[0],
    ).toContain("needs `names`");
    expect(
      problemsOf(
        '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"read","names":["write"],"action":"SCMP_ACT_ALLOW"}]}',
      )[0],
    ).toContain("both `name` and `names`");
  });

  test("joins the problems into one error message", () => {
    const result = parseSeccompProfileObject({ defaultAction: 7 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Invalid seccomp profile JSON: defaultAction: /);
  });
});

describe("parseSeccompSecurityOpt()", () => {
  test("reads an inline profile", () => {
    const json = SeccompProfile.hardenedDefault().toJson();
    expect(parseSeccompSecurityOpt(`seccomp=${json}`)).toEqual({
      kind: "inline",
      profile: SeccompProfile.hardenedDefault().toObject(),
    });
  });

  test("recognises unconfined, in both the = and the deprecated : form", () => {
    expect(parseSeccompSecurityOpt("seccomp=unconfined")).toEqual({ kind: "unconfined" });
    expect(parseSeccompSecurityOpt("seccomp:unconfined")).toEqual({ kind: "unconfined" });
  });

  test("reports a value the daemon would refuse", () => {
    const opt = parseSeccompSecurityOpt("seccomp=/etc/profile.json");
    expect(opt).toMatchObject({ kind: "invalid", value: "/etc/profile.json" });
  });

  test.each([
    "no-new-privileges:true",
    "no-new-privileges",
    "apparmor=docker-default",
    "label=disable",
  ])("ignores %s (not about seccomp)", (option) => {
    expect(parseSeccompSecurityOpt(option)).toBeUndefined();
  });
});
