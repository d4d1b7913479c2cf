import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { run } from "../../lib/cli/main";
import { mapBounded } from "../../lib/host/bounded-map";
import { CIS_DOCKER_PACK } from "../../lib/policy/pack";
import { docker, sweepSuite, testLabels } from "../e2e/support/engine";
import { dockerAvailability } from "../support/docker-available";
import { buildLocalImage, removeLocalImage } from "../host/support/busybox-image";
import { CLI_MAIN, fmt, median, SILENT, spawnCli, timed } from "./timing";

/**
 * Benchmark of `hardened-docker audit --host` on the local engine, side by side in the same run
 * with docker-bench-security's container runtime section (`-c container_runtime`, CIS section 5)
 * on the same containers, when a checkout of it is given (`DOCKER_BENCH_SECURITY=<folder>`, or
 * ../docker-bench-security beside the project). It is not installable here (no Debian or npm
 * package, and the Go module proxy refuses github.com/docker/docker-bench-security), so without a
 * checkout the bench says so and falls back to an imitation of the way it reads a host: one
 * `docker inspect` process per container per check.
 *
 * For each N it creates N cheap labelled containers (`sleep 3600`, 16 MiB memory limit, a
 * FROM-scratch static busybox image), times the audit end to end in-process (the CLI's `run`)
 * and as a spawned `node dist/lib/cli/main.js` process, and removes the containers. The baseline
 * is measured on a sample and extrapolated (printed as such): running every check as its own
 * `docker inspect` process for 200 containers would take minutes.
 *
 * Prints figures only; nothing here asserts timing.
 */

const execFileAsync = promisify(execFile);
const SUITE = "host-bench";
const IMAGE = "hd-host-bench/busybox:1";
const FILTER = `label=io.hardened-docker.test.suite=${SUITE}`;
/** docker-bench's per-container section 5 checks: as many as our CIS section 5 rules. */
const SECTION_5_CHECKS = CIS_DOCKER_PACK.filter((r) => r.id.startsWith("CIS-5.")).length;
/** The baseline sample: this many checks on this many containers, each one process. */
const SAMPLE_CHECKS = 3;
const SAMPLE_CONTAINERS = 10;
/** Timed runs per figure; the median is printed. */
const RUNS = 3;

async function createContainers(count: number): Promise<string[]> {
  const labels = testLabels(SUITE);
  return mapBounded(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const container = await docker().createContainer({
        name: `hd-host-bench-${String(i).padStart(3, "0")}`,
        Image: IMAGE,
        Cmd: ["sleep", "3600"],
        Labels: labels,
        HostConfig: { Memory: 16 * 1024 * 1024 },
      });
      await container.start();
      return container.id;
    },
  );
}

/** Mean wall time of one `docker inspect --format <check> <id>` process, in ms. */
async function inspectProcessMs(ids: readonly string[]): Promise<number> {
  const formats = [
    "{{ .HostConfig.Privileged }}",
    "{{ .HostConfig.ReadonlyRootfs }}",
    "{{ .HostConfig.SecurityOpt }}",
  ].slice(0, SAMPLE_CHECKS);
  const times: number[] = [];
  for (const id of ids.slice(0, SAMPLE_CONTAINERS)) {
    for (const format of formats) {
      times.push(await timed(() => execFileAsync("docker", ["inspect", "--format", format, id])));
    }
  }
  return times.reduce((a, b) => a + b, 0) / times.length;
}

/** The speed-up issue 20 asks of one engine with 51 containers against docker-bench-security. */
const TARGET_SPEED_UP = 100;

/** The docker-bench-security checkout to run, or why there is none. */
function dockerBenchSecurity(): { dir: string } | { missing: string } {
  const candidates = [
    process.env.DOCKER_BENCH_SECURITY,
    join(__dirname, "..", "..", "..", "docker-bench-security"),
  ].filter((d): d is string => d !== undefined && d !== "");
  for (const dir of candidates) {
    if (existsSync(join(dir, "docker-bench-security.sh"))) return { dir };
  }
  return {
    missing:
      "docker-bench-security not found (set DOCKER_BENCH_SECURITY to a checkout of " +
      "github.com/docker/docker-bench-security; it has no Debian or npm package and the Go module " +
      "proxy refuses it)",
  };
}

/**
 * Runs docker-bench-security's container runtime section on the containers whose names contain
 * `namePart`, once, and returns its wall time and the number of checks it reports. Throws when it
 * fails or checks nothing: a baseline that did no work would flatter the ratio.
 */
async function runDockerBench(
  dir: string,
  namePart: string,
): Promise<{ ms: number; checks: number }> {
  const log = join(await mkdtemp(join(tmpdir(), "hd-docker-bench-")), "docker-bench.log");
  let stdout = "";
  const ms = await timed(async () => {
    ({ stdout } = await execFileAsync(
      "sh",
      ["docker-bench-security.sh", "-c", "container_runtime", "-i", namePart, "-l", log],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    ));
  });
  const plain = stripVTControlCharacters(stdout);
  const checks = Number(/Checks: (\d+)/.exec(plain)?.[1] ?? "0");
  const perContainer = plain.split("\n").filter((l) => l.includes(namePart)).length;
  if (checks === 0 || perContainer === 0) {
    throw new Error(
      `docker-bench-security checked nothing (${checks} checks); its output: ${plain.slice(-400)}`,
    );
  }
  return { ms, checks };
}

/**
 * Creates N containers for each of `counts`, times `audit --host` and the docker-bench-style
 * baseline, prints containers per second and the speed-up, and removes the containers.
 */
export async function benchHostAudit(counts: number[]): Promise<void> {
  const audit = ["audit", "--host", "--filter", FILTER, "--format", "json"];
  const engine = await dockerAvailability();
  if (!engine.available) {
    console.log(`audit --host benchmark skipped: ${engine.reason}`);
    return;
  }
  console.log(
    `# audit --host benchmark (engine: ${process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock"})`,
  );
  await sweepSuite(SUITE);
  await buildLocalImage(IMAGE);
  try {
    for (const count of counts) {
      const ids = await createContainers(count);
      try {
        await run(audit, SILENT); // warm-up: module loading, first connections
        const inProcess: number[] = [];
        const noTop: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          inProcess.push(await timed(() => run(audit, SILENT)));
          noTop.push(await timed(() => run([...audit, "--no-processes"], SILENT)));
        }
        let spawned: number | undefined;
        if (existsSync(CLI_MAIN)) {
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) times.push(await timed(() => spawnCli(audit)));
          spawned = median(times);
        }
        const perProcess = await inspectProcessMs(ids);
        const baseline = perProcess * count * SECTION_5_CHECKS;
        const best = median(inProcess);
        console.log(`\n## ${count} containers`);
        console.log(
          `audit --host, in-process run():      ${fmt(best)}  (${(count / (best / 1000)).toFixed(0)} containers/s; median of ${RUNS}; inspect + process list per container: /proc when local, else top)`,
        );
        console.log(
          `audit --host --no-processes:         ${fmt(median(noTop))}  (${(count / (median(noTop) / 1000)).toFixed(0)} containers/s; no top, CIS 5.7 not applicable)`,
        );
        if (spawned !== undefined) {
          console.log(
            `node dist/lib/cli/main.js audit --host: ${fmt(spawned)}  (${(count / (spawned / 1000)).toFixed(0)} containers/s; includes Node start-up)`,
          );
        } else {
          console.log(`spawned CLI: skipped (${CLI_MAIN} missing: run npx tsc -p tsconfig.json)`);
        }
        if (count === 51 || counts.length === 1) {
          const bench = dockerBenchSecurity();
          if ("missing" in bench) {
            console.log(`docker-bench-security: skipped: ${bench.missing}`);
          } else {
            const dbs = await runDockerBench(bench.dir, "hd-host-bench-");
            const cli = spawned ?? median(inProcess);
            const ratio = dbs.ms / cli;
            console.log(
              `docker-bench-security -c container_runtime (${bench.dir}): ${fmt(dbs.ms)} ` +
                `(${dbs.checks} checks, one run)`,
            );
            console.log(
              `speed-up vs docker-bench-security: ${ratio.toFixed(0)}x ` +
                `${spawned !== undefined ? "the spawned CLI" : "in-process"}, ` +
                `${(dbs.ms / median(inProcess)).toFixed(0)}x in-process ` +
                `(target ${TARGET_SPEED_UP}x: ${ratio >= TARGET_SPEED_UP ? "met" : "NOT met"})`,
            );
          }
        }
        console.log(
          `docker-bench-style baseline (EXTRAPOLATED): ${fmt(baseline)} = ${perProcess.toFixed(1)} ms per ` +
            `\`docker inspect --format\` process (mean of ${SAMPLE_CHECKS} checks x ${Math.min(SAMPLE_CONTAINERS, count)} containers measured) ` +
            `x ${count} containers x ${SECTION_5_CHECKS} section-5 checks`,
        );
        console.log(
          `speed-up vs baseline: ${(baseline / best).toFixed(0)}x in-process` +
            (spawned !== undefined ? `, ${(baseline / spawned).toFixed(0)}x spawned` : ""),
        );
      } finally {
        await sweepSuite(SUITE);
      }
    }
  } finally {
    await sweepSuite(SUITE);
    await removeLocalImage(IMAGE);
  }
}

if (require.main === module) {
  benchHostAudit([51, 200]).catch((error: unknown) => {
    console.error(
      `host-audit bench failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  });
}
