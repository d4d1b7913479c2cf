/**
 * The one way the end-to-end suites deploy: the stack they build, synthesized, then
 * `terraform apply` with the real kreuzwerker/docker provider from the filesystem mirror of
 * test/deploy/provider-mirror.ts, as `cdktf deploy` runs it for each stack (npm run e2e:deploy
 * proves the `cdktf deploy` wrapper itself). Nothing here maps a resource to an Engine call: what
 * the suites inspect is what the provider created.
 *
 * ```ts
 * const gate = engineGate("attack battery", { registry: true, terraform: true });
 * const deployer = new TerraformDeployer("attack-battery");
 * const probe = await deployer.apply(stack);       // throws with the log's tail on failure
 * const id = await probe.containerId("hd-e2e-attack-battery-probe");
 * await deployer.destroyAll();                      // afterAll
 * ```
 *
 * One `terraform init` per deployer (per suite): its `.terraform` folder and lock file are linked
 * into one working folder per stack, which holds the stack's cdk.tf.json, state and logs.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { TerraformStack, Testing } from "cdktf";
import {
  MirroredProvider,
  ProviderMirror,
  REQUIRED_VERSION,
  mirroredProvider,
} from "../deploy/provider-mirror";
import { sweepDeployObjects } from "./leftovers";
import { CommandResult, runLogged, tail } from "./terraform-cli";

const execFileAsync = promisify(execFile);

/** The provider version the end-to-end suites deploy with: what teams starting today run. */
export const E2E_PROVIDER_VERSION = REQUIRED_VERSION;

const REPO = path.resolve(__dirname, "..", "..");
/** The compiled CLI the image-signature step runs as `hardened-docker`. */
const CLI = path.join(REPO, "dist", "lib", "cli", "main.js");

/** What deploying through Terraform needs here, once it is all there. */
export interface TerraformTools {
  /** The first line of `terraform version`. */
  readonly terraform: string;
  readonly mirror: ProviderMirror;
  readonly provider: MirroredProvider;
}

/**
 * `terraform` on PATH and the provider mirror holding {@link E2E_PROVIDER_VERSION}, or the first
 * thing missing as one line with how to get it. Synchronous, for the test gate.
 */
export function terraformTools(): TerraformTools | string {
  const version = spawnSync("terraform", ["version"], {
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" },
  });
  if (version.error || version.status !== 0) {
    return "no `terraform` on PATH (Terraform >= 1.4 deploys the end-to-end stacks)";
  }
  const found = mirroredProvider(E2E_PROVIDER_VERSION);
  if (typeof found === "string") return `${found}; .ci/run runs it before the tests`;
  return { terraform: version.stdout.trim().split("\n")[0], ...found };
}

/**
 * The stack's JSON as `cdktf synth` writes it, declaring {@link E2E_PROVIDER_VERSION}: the
 * override a team with the 12.0.3 bindings writes to run 4.6.0.
 */
export function synthForProvider(stack: TerraformStack): Record<string, unknown> {
  stack.addOverride("terraform.required_providers.docker.version", E2E_PROVIDER_VERSION);
  return JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
}

/** One resource of a stack's state (`terraform show -json`). */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/** One stack's working folder: its cdk.tf.json, its state, its logs. */
export class StackDeployment {
  private step = 0;

  constructor(
    public readonly name: string,
    /** The working folder (`terraform -chdir`). */
    public readonly dir: string,
    /** The synthesized JSON, as written to {@link file}. */
    public readonly json: Record<string, unknown>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The cdk.tf.json Terraform deploys (for `audit --synth` / `drift --synth`). */
  public get file(): string {
    return path.join(this.dir, "cdk.tf.json");
  }

  /** Runs `terraform <args>` in the working folder; never throws on a non-zero exit. */
  public terraform(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) {
    this.step += 1;
    const logFile = path.join(
      this.dir,
      "logs",
      `${String(this.step).padStart(2, "0")}-${args[0]}.log`,
    );
    return runLogged("terraform", [...args, "-no-color"], {
      cwd: this.dir,
      env: { ...this.env, ...extraEnv },
      logFile,
      timeoutMs: 10 * 60_000,
    });
  }

  /** `terraform apply -auto-approve`; the result, whatever its exit code. */
  public tryApply(extraEnv: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
    return this.terraform(
      ["apply", "-auto-approve", "-input=false", "-lock-timeout=60s"],
      extraEnv,
    );
  }

  /** `terraform apply -auto-approve`; throws with the end of the log when it fails. */
  public async apply(extraEnv: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
    const result = await this.tryApply(extraEnv);
    process.stderr.write(
      `[e2e] terraform apply of ${this.name}: exit ${result.status} in ${result.seconds.toFixed(1)} s\n`,
    );
    if (result.status !== 0) {
      throw new Error(
        `terraform apply of ${this.name} failed (exit ${result.status}, logs in ${this.dir}/logs):\n${tail(result.log)}`,
      );
    }
    return result;
  }

  /** `terraform plan -detailed-exitcode`: 0 no change, 2 changes, 1 error. */
  public plan(): Promise<CommandResult> {
    return this.terraform(["plan", "-detailed-exitcode", "-input=false", "-lock-timeout=60s"]);
  }

  /** `terraform destroy -auto-approve`; throws with the end of the log when it fails. */
  public async destroy(): Promise<void> {
    const result = await this.terraform(["destroy", "-auto-approve", "-input=false"]);
    if (result.status !== 0) {
      throw new Error(
        `terraform destroy of ${this.name} failed (exit ${result.status}):\n${tail(result.log)}`,
      );
    }
  }

  /** The managed resources in the state (`terraform show -json`). */
  public async resources(): Promise<StateResource[]> {
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync("terraform", ["show", "-json", "-no-color"], {
        cwd: this.dir,
        env: this.env,
        maxBuffer: 64 * 1024 * 1024,
      }));
    } catch (error) {
      const e = error as { stderr?: string; message?: string };
      throw new Error(`terraform show -json of ${this.name} failed: ${e.stderr ?? e.message}`);
    }
    const state = JSON.parse(stdout) as {
      values?: { root_module?: { resources?: (StateResource & { mode: string })[] } };
    };
    return (state.values?.root_module?.resources ?? []).filter((r) => r.mode === "managed");
  }

  /** The ID of the one resource of `type` in the state (the stack's only container...). */
  public async onlyId(type: string): Promise<string> {
    const ids = [...(await this.ids(type)).values()];
    if (ids.length !== 1) {
      throw new Error(`${this.name}: expected one ${type} in the state, found ${ids.length}`);
    }
    return ids[0];
  }

  /** Name -> ID of the resources of `type` in the state (containers, services, networks...). */
  public async ids(type: string): Promise<Map<string, string>> {
    return new Map(
      (await this.resources())
        .filter((r) => r.type === type)
        .map((r) => [String(r.values.name), String(r.values.id)]),
    );
  }
}

/**
 * Deploys a suite's stacks through Terraform. The working folders live under one temporary
 * folder; each stack's objects left by an interrupted earlier run (named after the stack, their
 * state gone with that run's folder) are removed before its first apply.
 */
export class TerraformDeployer {
  private readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly tools: TerraformTools;
  private initialised: Promise<string> | undefined;
  private readonly stacks: StackDeployment[] = [];

  constructor(suite: string) {
    const tools = terraformTools();
    if (typeof tools === "string") throw new Error(`cannot deploy ${suite}: ${tools}`);
    this.tools = tools;
    this.root = mkdtempSync(path.join(tmpdir(), `hd-e2e-terraform-${suite}-`));
    const bin = path.join(this.root, "bin");
    mkdirSync(bin);
    // The image-signature step runs `hardened-docker verify-image`: the compiled CLI of this
    // checkout, as a team has the package's bin on its PATH.
    writeFileSync(
      path.join(bin, "hardened-docker"),
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
      { mode: 0o755 },
    );
    this.env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      TF_CLI_CONFIG_FILE: tools.mirror.cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
    };
  }

  /** `terraform init` once, in a folder whose `.terraform` and lock file every stack shares. */
  private init(): Promise<string> {
    this.initialised ??= (async () => {
      const dir = path.join(this.root, "init");
      mkdirSync(dir);
      writeFileSync(
        path.join(dir, "main.tf.json"),
        JSON.stringify({
          terraform: {
            required_providers: {
              docker: { source: "kreuzwerker/docker", version: E2E_PROVIDER_VERSION },
            },
          },
        }),
      );
      const result = await runLogged("terraform", ["init", "-input=false", "-no-color"], {
        cwd: dir,
        env: this.env,
        logFile: path.join(dir, "init.log"),
      });
      if (result.status !== 0) {
        throw new Error(`terraform init with the provider mirror failed:\n${tail(result.log)}`);
      }
      return dir;
    })();
    return this.initialised;
  }

  /** Synthesizes `stack` (declaring {@link E2E_PROVIDER_VERSION}) into its working folder. */
  public async prepare(stack: TerraformStack): Promise<StackDeployment> {
    const name = stack.node.id;
    const json = synthForProvider(stack);
    const init = await this.init();
    const dir = path.join(this.root, name);
    if (existsSync(dir)) throw new Error(`stack ${name} is deployed twice by this suite`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
    symlinkSync(path.join(init, ".terraform"), path.join(dir, ".terraform"));
    copyFileSync(path.join(init, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
    await sweepDeployObjects([name]);
    const deployment = new StackDeployment(name, dir, json, this.env);
    this.stacks.push(deployment);
    return deployment;
  }

  /** Synthesizes and applies `stack`; throws with the log's tail when the apply fails. */
  public async apply(stack: TerraformStack): Promise<StackDeployment> {
    const deployment = await this.prepare(stack);
    await deployment.apply();
    return deployment;
  }

  /**
   * Destroys every stack this deployer prepared (a failure is reported, not thrown), removes what
   * is still named after them, then the working folders, unless `keepLogs` (kept after failures).
   */
  public async destroyAll(): Promise<void> {
    let failed = false;
    for (const deployment of [...this.stacks].reverse()) {
      await deployment.destroy().catch((error: unknown) => {
        failed = true;
        process.stderr.write(`[e2e] ${error instanceof Error ? error.message : error}\n`);
      });
    }
    await sweepDeployObjects(this.stacks.map((s) => s.name)).catch(() => undefined);
    if (failed) process.stderr.write(`[e2e] Terraform logs kept in ${this.root}\n`);
    else rmSync(this.root, { recursive: true, force: true });
  }

  /** The first line of `terraform version` and the provider binary, for a suite's summary. */
  public describeTools(): string {
    return `${this.tools.terraform}, kreuzwerker/docker ${E2E_PROVIDER_VERSION} (${this.tools.provider.binary})`;
  }
}
