import { writeFileSync } from "fs";
import { join } from "path";
import { NETWORK_RULES } from "../../lib/policy/network-pack";
import { DEFAULT_RULES } from "../../lib/policy/pack";
import { Rule } from "../../lib/policy/rule";

/** The metadata a rule of either kind (container or network) carries. */
export type DocumentedRule = Pick<
  Rule,
  "id" | "title" | "level" | "rationale" | "remediation" | "blindSpots"
>;

/** Every rule the audits apply: the container packs, then the network rules. */
export const DOCUMENTED_RULES: readonly DocumentedRule[] = [...DEFAULT_RULES, ...NETWORK_RULES];

/**
 * docs/policy-rules.md, rendered from the rules' own metadata so the page cannot drift from the
 * code (test/policy/rules/policy-rules-doc.test.ts compares them). Regenerate with
 * `npx ts-node test/support/policy-rules-doc.ts`.
 */

export const POLICY_RULES_DOC = join(__dirname, "..", "..", "docs", "policy-rules.md");

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

function section(rule: DocumentedRule): string {
  return [
    `## \`${rule.id}\`: ${rule.title}`,
    "",
    `Level: ${rule.level}`,
    "",
    `**Why.** ${rule.rationale}`,
    "",
    `**Fix.** ${rule.remediation}`,
    "",
    `**What it cannot see.** ${rule.blindSpots ?? "(not stated)"}`,
    "",
  ].join("\n");
}

export function renderPolicyRulesDoc(rules: readonly DocumentedRule[] = DOCUMENTED_RULES): string {
  return [
    "# Policy rules",
    "",
    "Generated from `lib/policy/rules/` by `test/support/policy-rules-doc.ts`; do not edit by hand.",
    "Every rule judges what its input shows: synthesized Terraform JSON, a live container's",
    "`docker inspect` or a live service's spec; the network rules (`HD-OVERLAY-ENCRYPTED`,",
    "`HD-BRIDGE-ICC`) judge `docker_network` resources and a live engine's networks. The last",
    "column says what each cannot see there.",
    "",
    "| Rule | Level | Title | What it cannot see |",
    "|---|---|---|---|",
    ...rules.map(
      (r) => `| \`${r.id}\` | ${r.level} | ${cell(r.title)} | ${cell(r.blindSpots ?? "")} |`,
    ),
    "",
    ...rules.map(section),
  ].join("\n");
}

if (require.main === module) {
  writeFileSync(POLICY_RULES_DOC, renderPolicyRulesDoc());
}
