/**
 * Runs the real `cdktf` CLI and `terraform` the way a team does: `npm run e2e:deploy` in a scratch
 * cdktf project whose app is test/deploy/app.ts, the end-to-end suites through the deploy helper
 * (terraform-deploy.ts). Output goes to a log file per command; a failure throws with the command
 * and the end of its log.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const BIN = path.join(REPO, "node_modules", ".bin");

export interface CommandResult {
  readonly status: number;
  readonly seconds: number;
  readonly log: string;
}

/** Strips terminal escapes so logs and messages are readable. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/** Runs a command to completion, its output into `logFile`. Never throws on a non-zero exit. */
export function runLogged(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; timeoutMs?: number },
): Promise<CommandResult> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = createWriteStream(options.logFile);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 20 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${file} could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      out.end(() => {
        resolve({
          status: code ?? (signal ? 128 : 1),
          seconds: (Date.now() - started) / 1000,
          log: plain(readFileSync(options.logFile, "utf8")),
        });
      });
    });
  });
}

/** The last `lines` non-empty lines of a log, indented, for an error message. */
export function tail(log: string, lines = 30): string {
  return log
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join("\n");
}

/** A scratch cdktf project: cdktf.json pointing at app.ts, state and cdktf.out inside it. */
export class DeployProject {
  public readonly dir: string;
  public readonly outdir: string;
  private readonly logDir: string;
  private step = 0;

  constructor(workDir: string) {
    this.dir = path.join(workDir, "project");
    this.outdir = path.join(this.dir, "cdktf.out");
    this.logDir = path.join(workDir, "logs");
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      path.join(this.dir, "cdktf.json"),
      JSON.stringify(
        {
          language: "typescript",
          app: `${path.join(BIN, "ts-node")} --project ${path.join(REPO, "tsconfig.json")} ${path.join(REPO, "test", "deploy", "app.ts")}`,
          projectId: "hardened-docker-e2e-deploy",
          sendCrashReports: "false",
          terraformProviders: [],
          terraformModules: [],
          context: {},
        },
        null,
        2,
      ),
    );
  }

  public stackDir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  private logFile(name: string): string {
    this.step += 1;
    return path.join(this.logDir, `${String(this.step).padStart(2, "0")}-${name}.log`);
  }

  /**
   * `cdktf deploy|destroy <stacks> --auto-approve`. `--skip-provider-lock`: cdktf otherwise runs
   * `terraform providers lock -platform=linux_amd64`, which asks registry.terraform.io for
   * checksums and fails offline ("could not connect to registry.terraform.io"), the filesystem
   * mirror notwithstanding. `terraform init` still writes the lock file from the mirror.
   */
  public async cdktf(
    command: "deploy" | "destroy",
    stacks: readonly string[],
    env: NodeJS.ProcessEnv,
  ): Promise<CommandResult> {
    const result = await runLogged(
      path.join(BIN, "cdktf"),
      [
        command,
        ...stacks,
        "--auto-approve",
        "--skip-provider-lock",
        "--no-color",
        "--output",
        this.outdir,
      ],
      { cwd: this.dir, env, logFile: this.logFile(`cdktf-${command}`) },
    );
    if (result.status !== 0) {
      throw new Error(`cdktf ${command} failed (exit ${result.status}):\n${tail(result.log)}`);
    }
    return result;
  }

  /** `cdktf synth`: rewrites every stack's cdk.tf.json (the state stays where it is). */
  public async synth(env: NodeJS.ProcessEnv): Promise<CommandResult> {
    const result = await runLogged(
      path.join(BIN, "cdktf"),
      ["synth", "--no-color", "--output", this.outdir],
      { cwd: this.dir, env, logFile: this.logFile("cdktf-synth") },
    );
    if (result.status !== 0) {
      throw new Error(`cdktf synth failed (exit ${result.status}):\n${tail(result.log)}`);
    }
    return result;
  }

  /** `terraform init -upgrade` in a stack's folder: takes the provider version it now declares. */
  public async initUpgrade(stack: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
    const result = await runLogged("terraform", ["init", "-upgrade", "-input=false", "-no-color"], {
      cwd: this.stackDir(stack),
      env,
      logFile: this.logFile(`init-upgrade-${stack}`),
    });
    if (result.status !== 0) {
      throw new Error(`terraform init -upgrade failed in ${stack}:\n${tail(result.log)}`);
    }
    return result;
  }

  /** `terraform plan -detailed-exitcode` in a stack's folder: 0 no change, 2 changes, 1 error. */
  public plan(stack: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
    return runLogged(
      "terraform",
      ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock-timeout=60s"],
      { cwd: this.stackDir(stack), env, logFile: this.logFile(`plan-${stack}`) },
    );
  }
}

/** The changes a plan lists (`# <address> will be ...` lines), for a perpetual-diff report. */
export function plannedChanges(log: string): string[] {
  return log
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^# \S+ (will be|must be)/.test(l) || /# forces replacement/.test(l));
}
