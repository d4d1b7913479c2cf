import { spawn } from "node:child_process";
import { join } from "node:path";

/** What the bench measures, shared by its parts. */

/** The compiled CLI the benches spawn as a user runs it (`npm run build` writes it). */
export const CLI_MAIN = join(__dirname, "..", "..", "dist", "lib", "cli", "main.js");

/** Output sinks that drop everything, for in-process CLI runs. */
export const SILENT = { stdout: { write: () => true }, stderr: { write: () => true } };

/** The middle value (the upper middle for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Wall time of one asynchronous step, in ms. */
export async function timed(step: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await step();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Milliseconds as seconds with two decimals: `1.34 s`. */
export const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Runs the compiled CLI as a new process with `args`; resolves to its exit code. */
export function spawnCli(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", resolve);
  });
}
