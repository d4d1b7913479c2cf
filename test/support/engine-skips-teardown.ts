import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Jest globalTeardown (it runs after Jest's summary): repeats which engine-bound suites were
 * skipped and why, from the file engine-skips-setup.ts named, then removes it.
 */
export default async function engineSkipsTeardown(): Promise<void> {
  const file = process.env.HD_ENGINE_SKIPS_FILE;
  if (file === undefined || file === "") return;
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no suite was skipped
  }
  rmSync(dirname(file), { recursive: true, force: true });
  const byReason = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const reason = line.slice(tab + 1);
    const suites = byReason.get(reason) ?? new Set<string>();
    suites.add(line.slice(0, tab));
    byReason.set(reason, suites);
  }
  if (byReason.size === 0) return;
  const lines = ["", "Engine tests skipped (Jest counts them as skipped, not passed):"];
  for (const [reason, suites] of byReason) {
    lines.push(`  ${[...suites].sort().join(", ")}: ${reason}`);
  }
  process.stderr.write(`${lines.join("\n")}\n`);
}
