import { Finding } from "../../../lib/policy/findings";
import { compareWithBaseline, newBlockingFindings } from "../../../lib/policy/reports/baseline";

/** The comparison with a previous report, on findings written by hand. */

function f(engine: string, resource: string, ruleId: string, status: Finding["status"]): Finding {
  return {
    engine,
    resource,
    ruleId,
    status,
    level: "error",
    title: ruleId,
    message: `${ruleId} is ${status}`,
    remediation: "",
  };
}

describe("compareWithBaseline", () => {
  const previous = [
    f("a", "container:/web", "CIS-5.5", "fail"),
    f("a", "container:/web", "CIS-5.4", "fail"),
    f("b", "container:/db", "CIS-5.10", "fail"),
    f("b", "container:/db", "CIS-5.4", "pass"),
  ];

  it("sorts problems into new, fixed and unchanged per engine, by engine, resource and rule", () => {
    const current = [
      f("a", "container:/web", "CIS-5.5", "fail"), // unchanged
      f("a", "container:/web", "CIS-5.4", "pass"), // fixed
      f("b", "container:/db", "CIS-5.10", "fail"), // unchanged
      f("b", "container:/db", "CIS-5.4", "unknown"), // new: unknown is a problem too
      f("a", "container:/db", "CIS-5.10", "fail"), // new: same rule and name, other engine
    ];
    const c = compareWithBaseline(current, previous, "last.json");
    const a = c.engines.find((e) => e.engine === "a");
    const b = c.engines.find((e) => e.engine === "b");
    expect(a?.new.map((x) => `${x.resource} ${x.ruleId}`)).toEqual(["container:/db CIS-5.10"]);
    expect(a?.fixed.map((x) => x.ruleId)).toEqual(["CIS-5.4"]);
    expect(a?.unchanged.map((x) => x.ruleId)).toEqual(["CIS-5.5"]);
    expect(b?.new.map((x) => x.ruleId)).toEqual(["CIS-5.4"]);
    expect(b?.unchanged.map((x) => x.ruleId)).toEqual(["CIS-5.10"]);
    expect(c.changes.get(current[0] as Finding)).toBe("unchanged");
    expect(c.changes.get(current[1] as Finding)).toBeUndefined();
    expect(newBlockingFindings(c).map((x) => `${x.engine} ${x.ruleId}`)).toEqual([
      "a CIS-5.10",
      "b CIS-5.4",
    ]);
  });

  it("does not call an unreachable engine's old problems fixed", () => {
    const current = [
      f("a", "container:/web", "CIS-5.5", "fail"),
      f("a", "container:/web", "CIS-5.4", "fail"),
      f("b", "engine:b", "HD-ENGINE-UNREACHABLE", "unknown"),
    ];
    const b = compareWithBaseline(current, previous, "last.json").engines.find(
      (e) => e.engine === "b",
    );
    expect(b?.fixed).toEqual([]);
    expect(b?.unverified.map((x) => x.ruleId)).toEqual(["CIS-5.10"]);
    expect(b?.new.map((x) => x.ruleId)).toEqual(["HD-ENGINE-UNREACHABLE"]);
  });

  it("treats suppressed findings as no problem (a waiver granted since is not 'new')", () => {
    const current = [{ ...f("a", "container:/web", "CIS-5.5", "suppressed") }];
    const a = compareWithBaseline(current, previous, "x").engines.find((e) => e.engine === "a");
    expect(a?.new).toEqual([]);
    expect(a?.fixed.map((x) => x.ruleId).sort()).toEqual(["CIS-5.4", "CIS-5.5"]);
  });
});
