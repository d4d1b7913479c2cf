import { readFileSync } from "fs";
import { join } from "path";
import { ENGINE_RULES } from "../../lib/policy/engine";
import { NETWORK_RULES } from "../../lib/policy/network-pack";
import { DAEMON_RULES } from "../../lib/policy/daemon-pack";
import { RELEASE_TABLE_DATE } from "../../lib/policy/docker-releases";
import { DEFAULT_RULES } from "../../lib/policy/pack";
import { renderRulesPage, RULES_PAGE } from "../../lib/policy/rules-doc";
import { Rule } from "../../lib/policy/rule";

const ROOT = join(__dirname, "..", "..");

describe("docs/policy-rules.md, generated from the rules' metadata", () => {
  it("is what `npm run docs:rules` writes today", () => {
    const committed = readFileSync(join(ROOT, RULES_PAGE), "utf8");
    if (committed !== renderRulesPage()) {
      throw new Error(
        `${RULES_PAGE} is out of date with the rules' metadata: run \`npm run docs:rules\` and commit it`,
      );
    }
  });

  it("has a section with the title, level, rationale and remediation of every rule", () => {
    const page = renderRulesPage();
    for (const rule of [...DEFAULT_RULES, ...ENGINE_RULES, ...NETWORK_RULES, ...DAEMON_RULES]) {
      const start = page.indexOf(`\n## ${rule.id}\n`);
      expect(start).toBeGreaterThan(0);
      const next = page.indexOf("\n## ", start + 1);
      // Read back as text: the page escapes `<` and `*` outside code spans.
      const section = page
        .slice(start, next === -1 ? undefined : next)
        .replace(/&lt;/g, "<")
        .replace(/\\\*/g, "*");
      expect(section).toContain(rule.title);
      expect(section).toContain(`**Level:** ${rule.level}`);
      expect(section).toContain(rule.rationale);
      expect(section).toContain(rule.remediation);
    }
  });

  it("says for every container, network and daemon rule what it cannot see", () => {
    const silent = [...DEFAULT_RULES, ...NETWORK_RULES, ...DAEMON_RULES]
      .filter((rule) => (rule.blindSpots ?? "").trim().length < 20)
      .map((rule) => rule.id);
    expect(silent).toEqual([]);
  });

  it("says in the rules table what each rule cannot see", () => {
    const page = renderRulesPage();
    const row = page.split("\n").find((line) => line.startsWith("| [`CIS-5.14`]"));
    expect(row).toContain("Host firewall rules");
    const networkRow = page.split("\n").find((line) => line.startsWith("| [`HD-BRIDGE-ICC`]"));
    expect(networkRow).toContain("Which containers share the bridge");
  });

  it("shows what a rule cannot see only when the rule says so", () => {
    const base = DEFAULT_RULES[0] as Rule;
    const without: Rule = { ...base, blindSpots: undefined };
    const withBlindSpots: Rule = { ...base, blindSpots: "a user switched to at run time" };
    const silentPage = renderRulesPage([without], [], [], []);
    expect(silentPage).not.toContain("- **What it cannot see:**");
    expect(silentPage).toContain("| (not stated) |");
    expect(renderRulesPage([withBlindSpots], [], [], [])).toContain(
      "- **What it cannot see:** a user switched to at run time",
    );
  });

  it("lists the daemon rules with their CIS ids and the release table's date", () => {
    const page = renderRulesPage();
    for (const id of [
      "CIS-1.2.2",
      "CIS-2.5",
      "CIS-2.7",
      "CIS-2.9",
      "CIS-2.15",
      "CIS-2.17",
      "CIS-7.5",
    ]) {
      expect(page).toContain(`| [\`${id}\`](#`);
    }
    expect(page).toContain(`dated ${RELEASE_TABLE_DATE}`);
  });

  it("links each table row to its rule's section", () => {
    const page = renderRulesPage();
    expect(page).toContain("| [`CIS-5.4`](#cis-54) |");
    expect(page).toContain("| [`HD-LOG-ROTATION`](#hd-log-rotation) |");
  });
});
