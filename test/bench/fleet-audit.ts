import { existsSync } from "node:fs";
import { run } from "../../lib/cli/main";
import { mapBounded } from "../../lib/host/bounded-map";
import { buildLocalImage } from "../host/support/busybox-image";
import { ExtraEngine, extraEnginesAvailable, startExtraEngines } from "../support/extra-dockerd";
import { dockerAvailability } from "../support/docker-available";
import { CLI_MAIN, fmt, median, SILENT, spawnCli, timed } from "./timing";

/**
 * Benchmark of `audit --host` over a fleet: N extra dockerd processes on this machine (each with
 * its own socket, data root, exec root, pidfile and bridge; test/support/extra-dockerd.ts), each
 * running M labelled containers (`sleep 3600`, FROM-scratch busybox), audited in one command
 * with N `--docker-host` options, in-process and as a spawned CLI. Prints figures only.
 */

const RUNS = 3;
const IMAGE = "hd-fleet-bench/busybox:1";

async function populate(engine: ExtraEngine, count: number): Promise<void> {
  await buildLocalImage(IMAGE, engine.address);
  await mapBounded(
    Array.from({ length: count }, (_, i) => i),
    4,
    async (i) => {
      const c = await engine.docker.createContainer({
        name: `hd-fleet-bench-${String(i).padStart(3, "0")}`,
        Image: IMAGE,
        Cmd: ["sleep", "3600"],
        HostConfig: { Memory: 16 * 1024 * 1024 },
      });
      await c.start();
    },
  );
}

/**
 * For each fleet size in `engineCounts` (engines started once, for the largest), times
 * `audit --host` over the first k engines, so the figure shows how it scales with engines.
 */
export async function benchFleetAudit(engineCounts: number[], perEngine: number): Promise<void> {
  const engine = await dockerAvailability();
  if (!engine.available) {
    console.log(`fleet benchmark skipped: ${engine.reason}`);
    return;
  }
  const extra = extraEnginesAvailable();
  if (!extra.ok) {
    console.log(`fleet benchmark skipped: ${extra.reason}`);
    return;
  }
  const max = Math.max(...engineCounts);
  console.log(`# audit --host over a fleet: up to ${max} extra dockerd x ${perEngine} containers`);
  const started = Date.now();
  const engines = await startExtraEngines(max);
  try {
    await mapBounded(engines, 3, (e) => populate(e, perEngine));
    console.log(`(fleet started and populated in ${fmt(Date.now() - started)})`);
    for (const k of engineCounts) {
      const args = ["audit", "--host", "--format", "json"];
      for (const e of engines.slice(0, k)) args.push("--docker-host", e.address);
      await run(args, SILENT); // warm-up
      const inProcess: number[] = [];
      for (let i = 0; i < RUNS; i++) inProcess.push(await timed(() => run(args, SILENT)));
      let spawned: number | undefined;
      if (existsSync(CLI_MAIN)) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timed(() => spawnCli(args)));
        spawned = median(times);
      }
      const containers = k * perEngine;
      console.log(
        `${String(k).padStart(2)} engines x ${perEngine} = ${containers} containers: ` +
          `in-process ${fmt(median(inProcess))} (${(containers / (median(inProcess) / 1000)).toFixed(0)} containers/s)` +
          (spawned !== undefined
            ? `, node dist/lib/cli/main.js ${fmt(spawned)}${spawned < 5000 ? " (under 5 s)" : " (OVER 5 s)"}`
            : `, spawned CLI skipped (${CLI_MAIN} missing: npm run build)`),
      );
    }
  } finally {
    await Promise.all(engines.map((e) => e.stop()));
  }
}

if (require.main === module) {
  benchFleetAudit([1, 2, 5, 10], 50).catch((error: unknown) => {
    console.error(`fleet bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
