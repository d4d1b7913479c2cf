import { readFileSync } from "fs";
import {
  DOCUMENTED_RULES,
  POLICY_RULES_DOC,
  renderPolicyRulesDoc,
} from "../../support/policy-rules-doc";

describe("what each rule cannot see", () => {
  it.each(DOCUMENTED_RULES.map((r) => [r.id, r] as const))(
    "%s states its blind spots",
    (_, rule) => {
      expect(rule.blindSpots?.length ?? 0).toBeGreaterThan(30);
    },
  );

  it("docs/policy-rules.md is the rendering of the rules' metadata", () => {
    expect(readFileSync(POLICY_RULES_DOC, "utf8")).toBe(renderPolicyRulesDoc());
  });
});
