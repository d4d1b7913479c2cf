import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Jest globalSetup: names the file where the engine gate (test/support/engine-gate.ts) records
 * each engine-bound suite it skipped and why, one `<suite>\t<reason>` line each. Workers start
 * after this and inherit the variable; engine-skips-teardown.ts prints the list after Jest's
 * summary, where it does not scroll away.
 */
export default async function engineSkipsSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hd-engine-skips-"));
  process.env.HD_ENGINE_SKIPS_FILE = join(dir, "skips.tsv");
}
