/**
 * Synth and rule-pack figures (the policy-engine issue's performance targets):
 * - synth time of a stack of N raw `Container`s written with the same hardened settings by hand
 *   versus N `HardenedContainer`s (target: hardened at most 1.25x raw);
 * - rule-pack evaluation rate on the models of those containers (target: at least 10,000
 *   container evaluations per second).
 * Prints figures; asserts nothing. Run with `npm run bench`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { median } from "./timing";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { DEFAULT_RULES, evaluate, fixedClock, HardenedContainer, SeccompProfile } from "../../lib";
import { modelsFromTerraformConfig, modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import { PidsLimitResource } from "../../lib/container/pids-limit-resource";
import { loadSynthesizedStacks } from "../../lib/synth";

const IMAGE = `registry.example.com/bench/app@sha256:${"ab".repeat(32)}`;
const NOW = "2026-11-01T00:00:00Z";

export type Kind = "raw" | "raw+step" | "hardened";

/**
 * A stack of `count` containers of one kind. `image` and `rawNamePrefix` let the Terraform deploy
 * bench run the same stacks on a real engine.
 */
export function buildStack(
  app: App,
  kind: Kind,
  count: number,
  image: string = IMAGE,
  rawNamePrefix = "app",
): TerraformStack {
  const stack = new TerraformStack(app, `bench-${kind}-${count}`);
  new DockerProvider(stack, "docker", {});
  const seccomp = `seccomp=${SeccompProfile.hardenedDefault().toJson()}`;
  for (let i = 0; i < count; i++) {
    if (kind === "hardened") {
      new HardenedContainer(stack, `app${i}`, {
        image,
        audit: {
          owner: "bench-team",
          purpose: "benchmark",
          expires: "2027-03-31",
          deployedBy: "bench",
        },
        healthcheck: { test: ["CMD", "/bin/healthcheck"] },
        clock: fixedClock(NOW),
      });
    } else {
      // What a careful engineer writes by hand for the same container. "raw" has no PIDs limit
      // (the provider has no attribute for it); "raw+step" adds the same terraform_data step.
      const container = new Container(stack, `app${i}`, {
        name: `${rawNamePrefix}${i}`,
        image,
        user: "65534:65534",
        privileged: false,
        capabilities: { drop: ["ALL"], add: [] },
        securityOpts: ["no-new-privileges:true", seccomp],
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
        memory: 256,
        memorySwap: 256,
        // What HardenedContainer writes: `cpus` crashes kreuzwerker/docker 3.6.2 at create.
        cpuPeriod: 100_000,
        cpuQuota: 50_000,
        cpuShares: 512,
        ulimit: [{ name: "nofile", soft: 1024, hard: 1024 }],
        restart: "on-failure",
        maxRetryCount: 5,
        init: true,
        sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024" },
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
        healthcheck: { test: ["CMD", "/bin/healthcheck"], interval: "30s", retries: 3 },
        networkMode: "none",
        labels: [
          { label: "io.hardened-docker.owner", value: "bench-team" },
          { label: "io.hardened-docker.purpose", value: "benchmark" },
          { label: "io.hardened-docker.expires", value: "2027-03-31" },
        ],
      });
      if (kind === "raw+step") new PidsLimitResource(stack, `app${i}-pids`, container.id, 128);
    }
  }
  return stack;
}

/** Builds the constructs and synthesizes them to disk, as `cdktf synth` does. */
function timeSynth(kind: Kind, count: number): { ms: number; json: Record<string, unknown> } {
  const outdir = mkdtempSync(join(tmpdir(), "hd-bench-"));
  try {
    const started = process.hrtime.bigint();
    const app = new App({ outdir, skipValidation: false });
    const stack = buildStack(app, kind, count);
    app.synth();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, json: stack.toTerraform() as Record<string, unknown> };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function benchSynthAndRules(counts: readonly number[] = [10, 100, 1000]): void {
  // Warm up module loading and the JIT so the first measured case is not penalised.
  timeSynth("raw", 10);
  timeSynth("raw+step", 10);
  timeSynth("hardened", 10);
  console.log("Synth (construct tree + app.synth() to disk), median of runs, ms:");
  console.log(
    "  containers | raw Container | raw + PIDs step | HardenedContainer | vs raw | vs raw + step | runs",
  );
  let largestJson: Record<string, unknown> | undefined;
  for (const count of counts) {
    const runs = count >= 1000 ? 3 : 5;
    const raw: number[] = [];
    const rawStep: number[] = [];
    const hardened: number[] = [];
    for (let r = 0; r < runs; r++) {
      // Alternate so drift in machine load hits all three equally.
      raw.push(timeSynth("raw", count).ms);
      rawStep.push(timeSynth("raw+step", count).ms);
      const h = timeSynth("hardened", count);
      hardened.push(h.ms);
      largestJson = h.json;
    }
    const rawMs = median(raw);
    const stepMs = median(rawStep);
    const hardMs = median(hardened);
    console.log(
      `  ${String(count).padStart(10)} | ${rawMs.toFixed(0).padStart(13)} | ` +
        `${stepMs.toFixed(0).padStart(15)} | ${hardMs.toFixed(0).padStart(17)} | ` +
        `${(hardMs / rawMs).toFixed(2).padStart(6)} | ${(hardMs / stepMs).toFixed(2).padStart(13)} | ${runs}`,
    );
  }

  if (largestJson === undefined) return;
  const { models } = modelsFromTerraformJson(largestJson);
  const context = { now: new Date(NOW) };
  evaluate(models, { rules: DEFAULT_RULES, context }); // warm-up
  const rounds = 5;
  const started = process.hrtime.bigint();
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    findings += evaluate(models, { rules: DEFAULT_RULES, context }).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const evaluations = models.length * rounds;
  console.log(
    `Rule pack: ${DEFAULT_RULES.length} rules x ${models.length} containers x ${rounds} rounds in ` +
      `${(seconds * 1000).toFixed(0)} ms: ${Math.round(evaluations / seconds)} container evaluations/s ` +
      `(${Math.round(findings / seconds)} findings/s)`,
  );
  const adaptStarted = process.hrtime.bigint();
  modelsFromTerraformJson(largestJson);
  const adaptMs = Number(process.hrtime.bigint() - adaptStarted) / 1e6;
  console.log(`Terraform JSON adapter: ${models.length} containers in ${adaptMs.toFixed(0)} ms`);

  // The whole reader on the file: bounded read, strict parse (duplicate keys, lines), adapter.
  const dir = mkdtempSync(join(tmpdir(), "hd-bench-reader-"));
  try {
    const file = join(dir, "cdk.tf.json");
    writeFileSync(file, JSON.stringify(largestJson, null, 2));
    const readStarted = process.hrtime.bigint();
    const [stack] = loadSynthesizedStacks(file).stacks;
    const read = stack !== undefined ? modelsFromTerraformConfig(stack.config).models.length : 0;
    const readMs = Number(process.hrtime.bigint() - readStarted) / 1e6;
    const mib = (statSync(file).size / 1048576).toFixed(1);
    console.log(
      `Reader (lib/synth, file to models): ${read} containers from ${mib} MiB in ${readMs.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) benchSynthAndRules();
