/**
 * `npm run docs:rules`: writes docs/policy-rules.md from the rules' metadata. Run it after
 * changing a rule; `test/docs/rules-page.test.ts` fails while the committed page differs.
 */
import { mkdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { renderRulesPage, RULES_PAGE } from "../../lib/policy/rules-doc";

const target = join(__dirname, "..", "..", RULES_PAGE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderRulesPage());
console.log(`wrote ${RULES_PAGE}`);
