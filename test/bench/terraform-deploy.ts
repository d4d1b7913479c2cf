/**
 * The cost of a HardenedContainer at deploy time, through the real Terraform and kreuzwerker/docker
 * 4.6.0 (selected by the version override on @cdktf/provider-docker 12.0.3) on the local engine: `terraform apply` and `terraform destroy` of N containers of each
 * kind, side by side in one run (alternated, so machine load hits all kinds alike):
 * - raw: `Container`s with the same hardened settings written by hand, no PIDs step;
 * - raw + PIDs step: the same plus the `terraform_data` step (`docker update --pids-limit`);
 * - HardenedContainer: the construct (PIDs step and labels trigger included).
 * Needs an engine, the loopback registry, `terraform` and the provider mirror; prints why not
 * otherwise. Asserts nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, LocalBackend } from "cdktf";
import { docker } from "../e2e/support/engine";
import { buildE2EImages } from "../e2e/support/images";
import { terraformDeployTools } from "../deploy/prerequisites";
import { REQUIRED_VERSION } from "../deploy/provider-mirror";
import { Kind, buildStack } from "./synth-and-rules";
import { median } from "./timing";

const KINDS: readonly Kind[] = ["raw", "raw+step", "hardened"];

function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync("terraform", [...args, "-no-color"], { cwd, env, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(
      `terraform ${args.join(" ")} in ${cwd} failed:\n${`${r.stdout}${r.stderr}`.slice(-2000)}`,
    );
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function benchTerraformDeploy(count = 20, rounds = 3): Promise<void> {
  const tools = await terraformDeployTools();
  if (typeof tools === "string") {
    console.log(`  not run: ${tools}`);
    return;
  }
  const { mirror } = tools;
  const version = REQUIRED_VERSION;
  if (!mirror.providers.some((p) => p.version === version)) {
    console.log(
      `  not run: no kreuzwerker/docker ${version} in ${mirror.mirrorDir} (npm run provider:mirror)`,
    );
    return;
  }
  const images = await buildE2EImages();
  const outdir = mkdtempSync(path.join(tmpdir(), "hd-bench-deploy-"));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: mirror.cliConfig, CHECKPOINT_DISABLE: "1" };
  const dirs = new Map<Kind, string>();
  try {
    const app = new App({ outdir });
    for (const kind of KINDS) {
      const stack = buildStack(
        app,
        kind,
        count,
        images.worker,
        `hdbench-${kind.replace("+", "-")}-`,
      );
      const dir = path.join(outdir, "stacks", stack.node.id);
      // cdktf's default local state path is relative to the working directory: keep it here.
      new LocalBackend(stack, { path: path.join(dir, "terraform.tfstate") });
      stack.addOverride("terraform.required_providers.docker.version", version);
      dirs.set(kind, dir);
    }
    app.synth();
    for (const dir of dirs.values()) terraform(["init", "-input=false"], dir, env);
    const applies = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
    const destroys = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (const kind of KINDS) {
        const dir = dirs.get(kind) as string;
        applies.get(kind)?.push(terraform(["apply", "-auto-approve", "-input=false"], dir, env));
        destroys.get(kind)?.push(terraform(["destroy", "-auto-approve", "-input=false"], dir, env));
      }
    }
    const raw = median(applies.get("raw") ?? []);
    console.log(
      `terraform apply / destroy of ${count} containers, median of ${rounds} rounds, seconds ` +
        `(kreuzwerker/docker ${version}, Docker ${(await docker().version()).Version}):`,
    );
    console.log("  kind              | apply | destroy | apply vs raw");
    const label: Record<Kind, string> = {
      raw: "raw Container",
      "raw+step": "raw + PIDs step",
      hardened: "HardenedContainer",
    };
    for (const kind of KINDS) {
      const apply = median(applies.get(kind) ?? []);
      const destroy = median(destroys.get(kind) ?? []);
      console.log(
        `  ${label[kind].padEnd(17)} | ${apply.toFixed(1).padStart(5)} | ${destroy.toFixed(1).padStart(7)} | ${(apply / raw).toFixed(2).padStart(11)}x`,
      );
    }
  } finally {
    for (const dir of dirs.values()) {
      spawnSync("terraform", ["destroy", "-auto-approve", "-input=false", "-no-color"], {
        cwd: dir,
        env,
      });
    }
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchTerraformDeploy().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
