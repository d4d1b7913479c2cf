import { evaluate, PolicyOptionsError } from "../../../lib/policy/engine";
import { Rule } from "../../../lib/policy/rule";
import { Suppression } from "../../../lib/policy/suppressions";
import { Unknown } from "../../../lib/policy/unknown";
import { DEFAULT_RULES } from "../../../lib/policy/pack";
import { CIS_5_4_CAPABILITIES } from "../../../lib/policy/rules/cis-5-4-capabilities";
import { CIS_5_13_READ_ONLY_ROOTFS } from "../../../lib/policy/rules/cis-5-13-read-only-rootfs";
import { capAddRule, containerModel, context, portsRule, privilegedRule } from "./models";

const rules = [privilegedRule, capAddRule, portsRule];

function constructSuppression(
  scope: string,
  ruleId: string,
  extra: Partial<Suppression> = {},
): Suppression {
  return {
    ruleId,
    reason: "the legacy agent needs this until the rewrite ships",
    source: "construct",
    scope,
    ...extra,
  };
}

describe("evaluate", () => {
  it("yields one finding per rule and container, passes and not-applicable included", () => {
    const findings = evaluate(
      [containerModel(), containerModel({ resource: "docker_container.api", privileged: true })],
      { rules, context },
    );
    expect(findings).toHaveLength(6);
    expect(findings.map((f) => [f.resource, f.ruleId, f.status])).toEqual([
      ["docker_container.web", "CIS-5.5", "pass"],
      ["docker_container.web", "CIS-5.4", "pass"],
      ["docker_container.web", "CIS-5.14", "not-applicable"],
      ["docker_container.api", "CIS-5.5", "fail"],
      ["docker_container.api", "CIS-5.4", "pass"],
      ["docker_container.api", "CIS-5.14", "not-applicable"],
    ]);
    const failure = findings[3];
    expect(failure).toMatchObject({
      title: privilegedRule.title,
      level: "error",
      message: "privileged is true",
      remediation: privilegedRule.remediation,
      constructPath: "app-stack/web/container",
    });
    expect(failure?.suppression).toBeUndefined();
  });

  it("uses the default pack when no rules are given", () => {
    const findings = evaluate([containerModel()], { context });
    expect(DEFAULT_RULES.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.ruleId)).toEqual(DEFAULT_RULES.map((r) => r.id));
  });

  it("turns a rule that throws into an unknown finding and keeps evaluating the others", () => {
    const throwing: Rule = {
      ...privilegedRule,
      id: "HD-BROKEN",
      check: () => {
        throw new Error("cannot read securityOpt");
      },
    };
    const findings = evaluate([containerModel()], { rules: [throwing, capAddRule], context });
    expect(findings.map((f) => [f.ruleId, f.status])).toEqual([
      ["HD-BROKEN", "unknown"],
      ["CIS-5.4", "pass"],
    ]);
    expect(findings[0]?.message).toBe("the rule could not be evaluated: cannot read securityOpt");
  });

  it("turns a rule that returns something other than a verdict into an unknown finding", () => {
    const sloppy = {
      ...privilegedRule,
      check: () => ({ status: "maybe", message: "?" }),
    } as unknown as Rule;
    const [finding] = evaluate([containerModel()], { rules: [sloppy], context });
    expect(finding?.status).toBe("unknown");
    expect(finding?.message).toContain('"status":"maybe"');
  });

  it("reports a value only known at apply time as unknown, with the adapter's explanation", () => {
    const [finding] = evaluate(
      [
        containerModel({
          privileged: new Unknown("${var.privileged} is only known at apply time"),
        }),
      ],
      { rules: [privilegedRule], context },
    );
    expect(finding).toMatchObject({
      status: "unknown",
      message: "${var.privileged} is only known at apply time",
    });
  });

  it("applies per-rule level overrides", () => {
    const findings = evaluate([containerModel({ privileged: true })], {
      rules,
      levels: { "CIS-5.5": "warning", "CIS-5.14": "error" },
      context,
    });
    expect(findings.map((f) => [f.ruleId, f.level])).toEqual([
      ["CIS-5.5", "warning"],
      ["CIS-5.4", "error"],
      ["CIS-5.14", "error"],
    ]);
  });

  it("refuses a level override for a rule it does not know, naming the rule", () => {
    expect(() => evaluate([], { rules, levels: { "CIS-9.99": "error" }, context })).toThrow(
      PolicyOptionsError,
    );
    expect(() => evaluate([], { rules, levels: { "CIS-9.99": "error" }, context })).toThrow(
      /unknown rule "CIS-9\.99"/,
    );
    expect(() => evaluate([], { rules, levels: { "CIS-5.5": "fatal" as never }, context })).toThrow(
      /"fatal" for CIS-5.5 is not a level/,
    );
  });

  describe("construct suppressions", () => {
    const failing = containerModel({ privileged: true, capAdd: ["NET_ADMIN"] });

    it("suppresses a failure of the named rule on the scope and its children, with the reason", () => {
      const findings = evaluate([failing], {
        rules,
        suppressions: [constructSuppression("app-stack/web", "CIS-5.4", { expires: "2026-12-31" })],
        context,
      });
      const capFinding = findings.find((f) => f.ruleId === "CIS-5.4");
      expect(capFinding).toMatchObject({
        status: "suppressed",
        message: "adds NET_ADMIN",
        suppression: {
          reason: "the legacy agent needs this until the rewrite ships",
          expires: "2026-12-31",
          source: "construct",
          scope: "app-stack/web",
        },
      });
      // Other rules are untouched by a suppression naming CIS-5.4.
      expect(findings.find((f) => f.ruleId === "CIS-5.5")?.status).toBe("fail");
    });

    it("matches construct paths by whole segments", () => {
      const statusUnder = (scope: string): string | undefined =>
        evaluate([failing], {
          rules: [capAddRule],
          suppressions: [constructSuppression(scope, "CIS-5.4")],
          context,
        })[0]?.status;
      expect(statusUnder("app-stack/web/container")).toBe("suppressed");
      expect(statusUnder("app-stack")).toBe("suppressed");
      expect(statusUnder("app-stack/we")).toBe("fail");
      expect(statusUnder("app-stack/web/container/x")).toBe("fail");
      expect(statusUnder("other-stack/web")).toBe("fail");
    });

    it("does not suppress a container without a construct path", () => {
      const [finding] = evaluate(
        [containerModel({ capAdd: ["NET_ADMIN"], constructPath: undefined })],
        {
          rules: [capAddRule],
          suppressions: [constructSuppression("app-stack", "CIS-5.4")],
          context,
        },
      );
      expect(finding?.status).toBe("fail");
    });

    it("leaves a pass a pass even when a suppression names the rule", () => {
      const [finding] = evaluate([containerModel()], {
        rules: [capAddRule],
        suppressions: [constructSuppression("app-stack", "CIS-5.4")],
        context,
      });
      expect(finding?.status).toBe("pass");
      expect(finding?.suppression).toBeUndefined();
    });

    it("never waives an unknown: only the gate's allowUnknown lets one through", () => {
      const [finding] = evaluate([containerModel({ privileged: new Unknown("token") })], {
        rules: [privilegedRule],
        suppressions: [constructSuppression("app-stack", "CIS-5.5")],
        // Even where the team policy lets CIS-5.5 be waived.
        policy: { nonWaivable: [] },
        context,
      });
      expect(finding?.status).toBe("unknown");
      expect(finding?.message).toContain("cannot vouch for a value the audit could not read");
    });

    it("still holds on its expiry day and stops holding the day after", () => {
      const onDay = (now: string) =>
        evaluate([failing], {
          rules: [capAddRule],
          suppressions: [
            constructSuppression("app-stack/web", "CIS-5.4", { expires: "2026-03-15" }),
          ],
          context: { now: new Date(now) },
        });
      expect(onDay("2026-03-15T23:59:59Z").map((f) => f.status)).toEqual(["suppressed"]);
      const after = onDay("2026-03-16T00:00:00Z");
      expect(after.map((f) => [f.ruleId, f.status])).toEqual([
        ["CIS-5.4", "fail"],
        ["HD-SUPPRESSION-EXPIRED", "fail"],
      ]);
      expect(after[1]).toMatchObject({
        level: "warning",
        resource: "docker_container.web",
        constructPath: "app-stack/web/container",
      });
      expect(after[1]?.message).toContain("CIS-5.4 on app-stack/web expired on 2026-03-15");
      expect(after[1]?.message).toContain("now fail");
    });

    it("lets the expired-suppression finding's level be changed like any rule's", () => {
      const findings = evaluate([failing], {
        rules: [capAddRule],
        levels: { "HD-SUPPRESSION-EXPIRED": "error" },
        suppressions: [constructSuppression("app-stack", "CIS-5.4", { expires: "2020-01-01" })],
        context,
      });
      expect(findings[1]).toMatchObject({ ruleId: "HD-SUPPRESSION-EXPIRED", level: "error" });
    });
  });

  describe("relaxation labels", () => {
    const labelled = (labels: Record<string, string>, privileged = false) =>
      containerModel({ capAdd: ["NET_ADMIN"], privileged, constructPath: undefined, labels });
    // The pack's CIS-5.4, whose failures name the capabilities they are about.
    const labelRules = [privilegedRule, CIS_5_4_CAPABILITIES];
    const vpn = {
      "io.hardened-docker.relaxation.addCapabilities": "the VPN sidecar must configure routes",
      "io.hardened-docker.relaxation.addCapabilities.rules": "CIS-5.4",
    };

    it("honours a reasoned relaxation label that names the values the container relaxes", () => {
      const findings = evaluate(
        [labelled({ ...vpn, "io.hardened-docker.relaxation.addCapabilities.detail": "NET_ADMIN" })],
        { rules: labelRules, context },
      );
      expect(findings.find((f) => f.ruleId === "CIS-5.4")).toMatchObject({
        status: "suppressed",
        suppression: {
          reason: "the VPN sidecar must configure routes",
          source: "label",
          scope: "io.hardened-docker.relaxation.addCapabilities",
          covers: { kind: "capability", values: ["NET_ADMIN"] },
        },
      });
    });

    it("does not honour a relaxation label that names no values", () => {
      const findings = evaluate([labelled(vpn)], { rules: labelRules, context });
      expect(findings.find((f) => f.ruleId === "CIS-5.4")?.status).toBe("fail");
    });

    it("does not let a label waive values it does not name, and says which", () => {
      const findings = evaluate(
        [
          labelled({
            ...vpn,
            "io.hardened-docker.relaxation.addCapabilities.detail": "NET_BIND_SERVICE",
          }),
        ],
        { rules: labelRules, context },
      );
      const finding = findings.find((f) => f.ruleId === "CIS-5.4");
      expect(finding?.status).toBe("fail");
      expect(finding?.message).toContain('not covered: capability "NET_ADMIN"');
      expect(finding?.message).toContain(
        'label io.hardened-docker.relaxation.addCapabilities names capability "NET_BIND_SERVICE"',
      );
    });

    it("does not let a label waive a rule its relaxation kind cannot waive", () => {
      const findings = evaluate(
        [
          labelled(
            {
              ...vpn,
              "io.hardened-docker.relaxation.addCapabilities.rules": "CIS-5.4,CIS-5.5",
              "io.hardened-docker.relaxation.addCapabilities.detail": "NET_ADMIN",
            },
            true,
          ),
        ],
        { rules: labelRules, context },
      );
      expect(findings.find((f) => f.ruleId === "CIS-5.5")?.status).toBe("fail");
    });

    it("does not let a whole-rule label vouch for a value the audit could not read", () => {
      const labels = {
        "io.hardened-docker.relaxation.writableRootFilesystem":
          "the legacy app writes its pid file next to its binary",
        "io.hardened-docker.relaxation.writableRootFilesystem.rules": "CIS-5.13",
      };
      const rootfsRules = [CIS_5_13_READ_ONLY_ROOTFS];
      const known = evaluate(
        [containerModel({ readOnlyRootfs: false, constructPath: undefined, labels })],
        { rules: rootfsRules, context },
      );
      expect(known[0]?.status).toBe("suppressed");
      const unread = evaluate(
        [
          containerModel({
            readOnlyRootfs: new Unknown("${var.ro} is only known at apply time"),
            constructPath: undefined,
            labels,
          }),
        ],
        { rules: rootfsRules, context },
      );
      expect(unread[0]?.status).toBe("unknown");
      expect(unread[0]?.message).toContain("cannot vouch for a value the audit could not read");
    });

    it("ignores label suppressions when asked to", () => {
      const findings = evaluate(
        [
          labelled({
            "io.hardened-docker.relaxation.addCapabilities":
              "the VPN sidecar must configure routes",
            "io.hardened-docker.relaxation.addCapabilities.rules": "CIS-5.4",
          }),
        ],
        { rules, labelSuppressions: false, context },
      );
      expect(findings.find((f) => f.ruleId === "CIS-5.4")?.status).toBe("fail");
    });
  });
});
