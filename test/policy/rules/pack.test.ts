import { readdirSync } from "fs";
import { join } from "path";
import { CIS_DOCKER_PACK, DEFAULT_RULES, PROJECT_PACK } from "../../../lib/policy/pack";
import { Rule } from "../../../lib/policy/rule";
import { baseProps, synthHardened } from "../../support/hardened-synth";
import { check, modelOf } from "./support/policy-harness";

const RULES_DIR = join(__dirname, "..", "..", "..", "lib", "policy", "rules");

/** `CIS-5.29` -> `cis-5-29-`, `HD-LOG-ROTATION` -> `hd-log-rotation`. */
function filePrefix(rule: Rule): string {
  return rule.id.startsWith("CIS-")
    ? `${rule.id.toLowerCase().replace(/\./g, "-")}-`
    : rule.id.toLowerCase();
}

describe("rule packs", () => {
  it("DEFAULT_RULES is the CIS pack followed by the project pack", () => {
    expect(DEFAULT_RULES).toEqual([...CIS_DOCKER_PACK, ...PROJECT_PACK]);
    expect(CIS_DOCKER_PACK.every((r) => r.id.startsWith("CIS-"))).toBe(true);
    expect(PROJECT_PACK.every((r) => r.id.startsWith("HD-"))).toBe(true);
  });

  it("has unique IDs and complete metadata", () => {
    const ids = DEFAULT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of DEFAULT_RULES) {
      expect(["error", "warning", "info"]).toContain(rule.level);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(40);
      expect(rule.remediation.length).toBeGreaterThan(20);
    }
  });

  it("keeps one file per rule, named by its ID", () => {
    const files = readdirSync(RULES_DIR).filter((f) => f !== "support.ts");
    for (const rule of DEFAULT_RULES) {
      expect(files.filter((f) => f.startsWith(filePrefix(rule)))).toHaveLength(1);
    }
    expect(files).toHaveLength(DEFAULT_RULES.length);
  });

  it("covers the CIS checks a container's configuration can decide", () => {
    expect(CIS_DOCKER_PACK.map((r) => r.id)).toEqual(
      [
        "4.1",
        "4.2",
        "4.5",
        "4.6",
        "5.2",
        "5.3",
        "5.4",
        "5.5",
        "5.6",
        "5.7",
        "5.8",
        "5.10",
        "5.11",
        "5.12",
        "5.13",
        "5.14",
        "5.15",
        "5.16",
        "5.17",
        "5.18",
        "5.19",
        "5.20",
        "5.21",
        "5.22",
        "5.25",
        "5.26",
        "5.27",
        "5.29",
        "5.30",
        "5.31",
        "5.32",
      ].map((n) => `CIS-${n}`),
    );
  });

  it("passes a default HardenedContainer on every rule that configuration decides", () => {
    const { json } = synthHardened(baseProps({ networks: ["backend"] }));
    const model = modelOf(json);
    const verdicts = Object.fromEntries(DEFAULT_RULES.map((r) => [r.id, check(r, model).status]));
    // HD-IMAGE-SIGNED needs trusted keys and a registry look-up (audit --host --trusted-key).
    const notApplicable = ["CIS-4.2", "CIS-5.2", "CIS-5.3", "CIS-5.7", "HD-IMAGE-SIGNED"];
    for (const [id, status] of Object.entries(verdicts)) {
      expect([id, status]).toEqual([id, notApplicable.includes(id) ? "not-applicable" : "pass"]);
    }
    expect(
      check(DEFAULT_RULES.find((r) => r.id === "CIS-4.2") as Rule, model, {
        trustedRegistries: ["registry.example.com"],
      }).status,
    ).toBe("pass");
  });
});
