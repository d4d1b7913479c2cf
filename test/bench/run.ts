/**
 * `npm run bench`: prints performance figures (never asserted in tests).
 * - synth time, raw Container vs HardenedContainer, and the rule-pack evaluation rate;
 * - `audit --host` on 50 and 200 live containers versus one `docker inspect` per check
 *   (needs a Docker Engine; skipped with a note when none answers).
 */
import { benchHostAudit } from "./host-audit";
import { benchSynthAndRules } from "./synth-and-rules";

async function main(): Promise<void> {
  console.log("== Synth and rule pack ==");
  benchSynthAndRules();
  console.log("\n== audit --host on a live engine ==");
  await benchHostAudit([50, 200]);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
