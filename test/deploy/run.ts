/**
 * `npm run e2e:deploy`: the example templates deployed the way teams deploy them, with the real
 * `cdktf deploy --auto-approve`, Terraform and the kreuzwerker/docker provider, on the local
 * engine, once per provider version in the mirror of `npm run provider:mirror` (4.6.0 always,
 * 3.6.2 where a binary is cached). On 4.6.0 the templates select the version by the override on
 * @cdktf/provider-docker 12.0.3, and the probe stack by bindings `cdktf get` generates offline
 * from the mirror (checked first: the library reads 4.6.0 from them and emits `id`). Per version:
 *
 * 1. deploy every stack as deployer "alice";
 * 2. `terraform plan -detailed-exitcode` in each stack's folder: no change (no perpetual diff);
 * 3. deploy again as "bob": no container, service or network is recreated (same IDs), and the
 *    plans are still empty;
 * 4. every container passes the CIS inspect oracle (PIDs limit included, set by the real
 *    terraform_data step); the attack battery runs in the Terraform-deployed probe container;
 *    `hardened-docker drift` against the same synth reports no drift; the Swarm template's
 *    services run healthy tasks and serve; the database template keeps its data across a
 *    replacement of its container (database-persistence.ts);
 * 5. on 3.6.2 when 4.6.0 is there too, the upgrade check: the stacks re-synthesized for 4.6.0,
 *    `terraform init -upgrade`, and a plan against the state 3.6.2 wrote: no change;
 * 6. `cdktf destroy --auto-approve` leaves no container, network, secret or service behind.
 *
 * Exit 0 when all of it holds, 1 when anything does not, 2 when it could not run (the reason is
 * printed). The last lines, one per version: `provider 4.6.0: deployed N stacks, M containers,
 * S services: P perpetual diffs, attacks blocked X/Y`, and the upgrade check's when it ran.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { ATTEMPTS, probeOutcome } from "../e2e/support/attacks";
import { cisFindings, waivedRules } from "../e2e/support/cis-inspect";
import { docker, execIn, pollUntil, processesOf } from "../e2e/support/engine";
import { buildE2EImages } from "../e2e/support/images";
import { currentTask, ensureSwarm, leaveSwarm } from "../e2e/support/swarm";
import { terraformDeployTools } from "./prerequisites";
import { CONTAINER_STACKS, DEPLOY_STACKS, DeployAppInput, RELAXED_RULES } from "./stacks";
import { DeployProject, plannedChanges, tail } from "../support/terraform-cli";
import { TlsRegistry, startTlsRegistry } from "./tls-registry";
import { findStackObjects, leftovers, sweepDeployObjects } from "../support/leftovers";
import { checkDatabasePersistence, writeDatabasePasswordFile } from "./database-persistence";
import { ProviderMirror, REQUIRED_VERSION } from "./provider-mirror";
import { checkBindingsSynth, generateBindings } from "./provider-bindings";
import { readFileSync } from "node:fs";

const ALL_STACKS = Object.values(DEPLOY_STACKS);
const SWARM_WEB_PORT = 18092;
const HEALTHY_WITHIN_MS = 90_000;
const REPO = path.resolve(__dirname, "..", "..");

function say(line: string): void {
  process.stdout.write(`[e2e:deploy] ${line}\n`);
}

class NotRun extends Error {}

/** Collects failed checks; the run goes on so one report shows every problem. */
class Checks {
  public readonly failures: string[] = [];
  public check(ok: boolean, what: string): boolean {
    if (!ok) {
      this.failures.push(what);
      say(`FAILED: ${what}`);
    }
    return ok;
  }
}

async function prerequisites(): Promise<{ mirror: ProviderMirror; terraform: string }> {
  const tools = await terraformDeployTools(["openssl", "docker-registry", "docker"]);
  if (typeof tools === "string") throw new NotRun(tools);
  const { mirror } = tools;
  for (const p of mirror.providers) {
    say(`provider ${p.version}: ${p.binary}${p.provenance ? ` (${p.provenance})` : ""}`);
  }
  return { mirror, terraform: tools.terraform };
}

/** Name -> ID of the containers (not Swarm's task containers), services and networks. */
async function stackIds(): Promise<{
  containers: Map<string, string>;
  services: Map<string, string>;
  networks: Map<string, string>;
}> {
  const found = await findStackObjects(ALL_STACKS);
  const byName = (list: readonly { id: string; name: string }[]) =>
    new Map(list.map((o) => [o.name, o.id]));
  return {
    containers: byName(found.containers.filter((c) => !c.swarmTask)),
    services: byName(found.services),
    networks: byName(found.networks),
  };
}

function sameIds(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, id] of before) {
    if (after.get(name) !== id)
      changed.push(`${name} ${id.slice(0, 12)} -> ${after.get(name)?.slice(0, 12) ?? "gone"}`);
  }
  for (const name of after.keys()) if (!before.has(name)) changed.push(`${name} is new`);
  return changed;
}

/** Plans every stack; returns the number of stacks whose plan is not empty. */
async function planAll(
  project: DeployProject,
  env: NodeJS.ProcessEnv,
  checks: Checks,
  when: string,
): Promise<number> {
  let diffs = 0;
  for (const stack of ALL_STACKS) {
    const result = await project.plan(stack, env);
    if (result.status === 0) continue;
    if (result.status === 2) {
      diffs += 1;
      checks.check(
        false,
        `${when}: ${stack} plans a change (perpetual diff):\n${plannedChanges(result.log)
          .map((l) => `    ${l}`)
          .join("\n")}`,
      );
    } else {
      checks.check(
        false,
        `${when}: terraform plan failed in ${stack} (exit ${result.status}):\n${tail(result.log)}`,
      );
    }
  }
  say(
    `${when}: terraform plan -detailed-exitcode in ${ALL_STACKS.length} stack folders: ${diffs === 0 ? "no changes" : `${diffs} with changes`}`,
  );
  return diffs;
}

async function healthy(name: string, id: string): Promise<Docker.ContainerInspectInfo> {
  return pollUntil(
    `${name} to be healthy`,
    async () => {
      const info = await docker().getContainer(id).inspect();
      return info.State.Health?.Status === "healthy" ? info : undefined;
    },
    HEALTHY_WITHIN_MS,
    500,
  );
}

/**
 * The PIDs limit the synthesized stack's step sets (`terraform_data` input `pids_limit`), read
 * from `<outdir>/stacks/<stack>/cdk.tf.json`; undefined when there is not exactly one.
 */
function configuredPidsLimit(outdir: string, stack: string): number | undefined {
  const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as {
    resource?: { terraform_data?: Record<string, { input?: { pids_limit?: unknown } }> };
  };
  const limits = Object.values(config.resource?.terraform_data ?? {})
    .map((step) => step.input?.pids_limit)
    .filter((limit): limit is number => typeof limit === "number");
  return limits.length === 1 ? limits[0] : undefined;
}

async function checkContainers(
  ids: Map<string, string>,
  outdir: string,
  checks: Checks,
): Promise<void> {
  const hostHasAppArmor = existsSync("/sys/kernel/security/apparmor");
  for (const key of CONTAINER_STACKS) {
    const stack = DEPLOY_STACKS[key];
    const entries = [...ids].filter(([name]) => name.startsWith(`${stack}-`));
    if (
      !checks.check(
        entries.length === 1,
        `${stack}: expected one container, found ${entries.length}`,
      )
    )
      continue;
    const [name, id] = entries[0];
    const info = await healthy(name, id);
    const findings = cisFindings(info, await processesOf(id), hostHasAppArmor);
    const waived = waivedRules(info.Config.Labels ?? {});
    const expected = [...(RELAXED_RULES[key] ?? [])].sort();
    checks.check(
      JSON.stringify([...waived].filter((r) => r.startsWith("CIS-")).sort()) ===
        JSON.stringify(expected),
      `${name}: waives ${[...waived].join(", ") || "nothing"}, expected ${expected.join(", ") || "nothing"}`,
    );
    const insecure = findings.filter((f) => !f.secure && !waived.has(f.id));
    checks.check(
      insecure.length === 0,
      `${name}: insecure ${insecure.map((f) => `${f.id} ${f.field}=${f.value}`).join("; ")}`,
    );
    const host = info.HostConfig as Docker.HostConfig & { PidsLimit?: number | null };
    const configured = configuredPidsLimit(outdir, stack);
    checks.check(
      typeof host.PidsLimit === "number" && host.PidsLimit > 0 && host.PidsLimit === configured,
      `${name}: PidsLimit ${host.PidsLimit} should be the stack's limit (${configured}), set by the terraform_data step`,
    );
    checks.check(
      !(host.Ulimits ?? []).some((u) => u.Name === "nproc"),
      `${name}: an nproc ulimit is set (${JSON.stringify(host.Ulimits)}); Linux counts it per uid across the host`,
    );
    checks.check(
      host.CpuPeriod === 100_000 && (host.CpuQuota ?? 0) > 0,
      `${name}: CPU quota ${host.CpuQuota}/${host.CpuPeriod}`,
    );
    say(
      `${name}: healthy; ${findings.length} CIS inspect checks, ${insecure.length} insecure; PidsLimit ${host.PidsLimit}, CpuQuota ${host.CpuQuota}/${host.CpuPeriod}${waived.size > 0 ? `; waived by relaxation: ${[...waived].join(", ")}` : ""}`,
    );
  }
}

async function attackBattery(
  probeId: string,
  checks: Checks,
): Promise<{ blocked: number; total: number }> {
  let blocked = 0;
  for (const a of ATTEMPTS) {
    let result: Awaited<ReturnType<typeof execIn>>;
    try {
      result = await execIn(probeId, a.command, {
        timeoutMs: 60_000,
        ...(a.user !== undefined ? { user: a.user } : {}),
      });
    } catch (error) {
      // One attempt that does not finish (a timeout on a loaded machine) is a failed check, not
      // the end of the battery: the closing line counts what the others showed.
      checks.check(
        false,
        `attack ${a.id} (${a.title}): ${error instanceof Error ? error.message : error}`,
      );
      continue;
    }
    const outcome = (a.interpret ?? probeOutcome)(result);
    const errnoOk = a.hardenedErrno === undefined || outcome.errno === a.hardenedErrno;
    const ok = outcome.verdict === "blocked" && errnoOk;
    if (ok) blocked += 1;
    checks.check(
      ok,
      `attack ${a.id} (${a.title}) in the Terraform-deployed probe: ${outcome.verdict}${errnoOk ? "" : ` with errno ${outcome.errno}, expected ${a.hardenedErrno}`}: ${outcome.detail}`,
    );
    say(`attack ${a.id.padEnd(3)} ${a.title}: ${outcome.verdict} (${outcome.detail})`);
  }
  return { blocked, total: ATTEMPTS.length };
}

function drift(outdir: string, checks: Checks): void {
  const cli = path.join(REPO, "dist", "lib", "cli", "main.js");
  const r = spawnSync(process.execPath, [cli, "drift", "--synth", outdir], { encoding: "utf8" });
  const last = `${r.stdout}${r.stderr}`.trim().split("\n").slice(-1)[0];
  checks.check(
    r.status === 0,
    `hardened-docker drift exited ${r.status}:\n${tail(`${r.stdout}${r.stderr}`, 20)}`,
  );
  say(`hardened-docker drift --synth ${outdir}: exit ${r.status}: ${last}`);
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/**
 * A service's /tmp has no size option (it crashes the provider): writing past the task's memory
 * limit (64 MiB in the template) must be stopped by the memory cgroup, which tmpfs pages count in.
 */
async function tmpfsBoundedByMemory(
  name: string,
  containerId: string,
  checks: Checks,
): Promise<void> {
  const fill = await execIn(
    containerId,
    [
      "sh",
      "-c",
      "dd if=/dev/zero of=/tmp/fill bs=1M count=256 2>&1; echo dd-exit=$?; rm -f /tmp/fill",
    ],
    { timeoutMs: 60_000 },
  );
  const written = await execIn(containerId, ["sh", "-c", "ls /tmp"]);
  const completed = /256\+0 records out/.test(fill.output);
  checks.check(
    !completed,
    `${name}: wrote 256 MiB to /tmp past its 64 MiB memory limit: ${fill.output.trim()}`,
  );
  say(
    `${name}: writing 256 MiB to /tmp: ${completed ? "completed (NOT bounded)" : `stopped (${fill.output.trim().split("\n").slice(-1)[0]})`}; /tmp now: ${written.output.trim() || "empty"}`,
  );
}

async function checkSwarm(services: Map<string, string>, checks: Checks): Promise<void> {
  checks.check(
    services.size === 2,
    `${DEPLOY_STACKS.swarm}: expected 2 services, found ${[...services.keys()].join(", ")}`,
  );
  for (const [name, id] of services) {
    try {
      const task = await pollUntil(
        `${name} to run a healthy task`,
        async () => {
          const t = await currentTask(id);
          return t?.state === "running" && t.health === "healthy" ? t : undefined;
        },
        HEALTHY_WITHIN_MS,
        1000,
      );
      say(`${name}: task ${task.taskId.slice(0, 12)} running, healthy`);
      if (name.endsWith("-api")) await tmpfsBoundedByMemory(name, task.containerId, checks);
    } catch (error) {
      checks.check(false, `${name}: ${error instanceof Error ? error.message : error}`);
    }
  }
  const status = await pollUntil(
    "the Swarm web tier to answer",
    async () => {
      const s = await httpStatus(`http://127.0.0.1:${SWARM_WEB_PORT}/`);
      return s === 200 ? s : undefined;
    },
    30_000,
    1000,
  ).catch(() => 0);
  if (
    checks.check(status === 200, `the Swarm web tier did not answer 200 on port ${SWARM_WEB_PORT}`)
  )
    say(`the Swarm web tier answers 200 on port ${SWARM_WEB_PORT}`);
}

/** What one version's deploy found, for its closing line. */
interface Tally {
  containers: number;
  services: number;
  diffs: number;
  blocked: number;
  attacks: number;
}

/** What every version's pass shares: images, registries, the run's folder and base input. */
interface RunContext {
  readonly workDir: string;
  readonly cliConfig: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly input: Omit<DeployAppInput, "outdir" | "providerVersion" | "generatedProvider">;
}

function envFor(
  ctx: RunContext,
  project: DeployProject,
  providerVersion: string,
  generatedProvider?: string,
): NodeJS.ProcessEnv {
  const input: DeployAppInput = {
    ...ctx.input,
    outdir: project.outdir,
    providerVersion,
    ...(generatedProvider ? { generatedProvider } : {}),
  };
  return { ...ctx.baseEnv, HD_DEPLOY_APP_INPUT: JSON.stringify(input) };
}

type Json = Record<string, unknown>;

/** The docker provider version a synthesized stack declares, and its services' network keys. */
function synthesizedFor(
  project: DeployProject,
  stack: string,
): { version: unknown; keys: string[] } {
  const json = JSON.parse(
    readFileSync(path.join(project.stackDir(stack), "cdk.tf.json"), "utf8"),
  ) as Json;
  const version = (((json.terraform as Json)?.required_providers as Json)?.docker as Json)?.version;
  const services = Object.values(((json.resource as Json)?.docker_service ?? {}) as Json);
  const keys = services.flatMap((svc) =>
    ((((svc as Json).task_spec as Json)?.networks_advanced as Json[] | undefined) ?? []).flatMap(
      (n) => Object.keys(n),
    ),
  );
  return { version, keys };
}

/** The stacks declare `version` (the probe through generated bindings when given). */
function checkDeclared(
  project: DeployProject,
  version: string,
  checks: Checks,
  generated: boolean,
): void {
  for (const stack of ALL_STACKS) {
    const found = synthesizedFor(project, stack);
    checks.check(
      found.version === version,
      `${stack} declares docker ${String(found.version)}, not ${version}`,
    );
  }
  const swarm = synthesizedFor(project, DEPLOY_STACKS.swarm);
  const key = version.startsWith("4.") ? "id" : "name";
  checks.check(
    swarm.keys.length > 0 && swarm.keys.every((k) => k === key),
    `${DEPLOY_STACKS.swarm}: networks_advanced by ${swarm.keys.join(", ")}, expected ${key} on ${version}`,
  );
  say(
    `provider ${version}: every stack declares ${version}${generated ? ` (${DEPLOY_STACKS.probe} through bindings from cdktf get, the others by the override)` : ""}; services join networks by ${key}`,
  );
}

/**
 * Deploy on 3.6.2 done: re-synthesize for 4.6.0, `terraform init -upgrade` and plan every stack
 * against the state 3.6.2 wrote. Returns the env the stacks are now synthesized for.
 */
async function upgradeCheck(
  ctx: RunContext,
  project: DeployProject,
  to: string,
  checks: Checks,
): Promise<{ env: NodeJS.ProcessEnv; diffs: number }> {
  const env = { ...envFor(ctx, project, to), HARDENED_DOCKER_DEPLOYED_BY: "alice" };
  await project.synth(env);
  for (const stack of ALL_STACKS) await project.initUpgrade(stack, env);
  const diffs = await planAll(project, env, checks, `upgrade to ${to}`);
  return { env, diffs };
}

/** One version's full pass; returns its tally. */
async function deployOn(
  ctx: RunContext,
  version: string,
  checks: Checks,
  options: { generatedProvider?: string; upgradeTo?: string },
): Promise<{ tally: Tally; upgradeDiffs?: number }> {
  const tally: Tally = {
    containers: 0,
    services: 0,
    diffs: 0,
    blocked: 0,
    attacks: ATTEMPTS.length,
  };
  const project = new DeployProject(path.join(ctx.workDir, version));
  let env = envFor(ctx, project, version, options.generatedProvider);
  let upgradeDiffs: number | undefined;
  const as = (who: string): NodeJS.ProcessEnv => ({ ...env, HARDENED_DOCKER_DEPLOYED_BY: who });
  const started = Date.now();
  let deployed = false;
  try {
    deployed = true;
    const first = await project.cdktf("deploy", ALL_STACKS, as("alice"));
    say(
      `provider ${version}: cdktf deploy --auto-approve of ${ALL_STACKS.length} stacks as alice: ${first.seconds.toFixed(1)} s`,
    );
    checkDeclared(project, version, checks, options.generatedProvider !== undefined);
    const { containers, services, networks } = await stackIds();
    tally.containers = containers.size;
    tally.services = services.size;
    say(
      `created ${containers.size} containers, ${services.size} services, ${networks.size} networks`,
    );
    tally.diffs += await planAll(project, as("alice"), checks, "after the first deploy");

    const second = await project.cdktf("deploy", ALL_STACKS, as("bob"));
    say(
      `cdktf deploy --auto-approve of ${ALL_STACKS.length} stacks as bob: ${second.seconds.toFixed(1)} s`,
    );
    const after = await stackIds();
    const recreated = [
      ...sameIds(containers, after.containers),
      ...sameIds(services, after.services),
      ...sameIds(networks, after.networks),
    ];
    checks.check(recreated.length === 0, `the deploy as bob recreated: ${recreated.join("; ")}`);
    say(
      `second deploy: ${recreated.length === 0 ? "same container, service and network IDs" : `${recreated.length} recreated`}`,
    );
    const deployedBy = await Promise.all(
      [...containers.values()].map(
        async (id) =>
          (await docker().getContainer(id).inspect()).Config.Labels?.[
            "io.hardened-docker.deployed-by"
          ],
      ),
    );
    checks.check(
      deployedBy.every((who) => who === "alice"),
      `deployed-by labels after bob's deploy: ${deployedBy.join(", ")} (alice created them)`,
    );
    tally.diffs += await planAll(project, as("bob"), checks, "after the second deploy");

    await checkContainers(containers, project.outdir, checks);
    const probeId = containers.get(`${DEPLOY_STACKS.probe}-probe`);
    if (checks.check(probeId !== undefined, "the probe container was not deployed")) {
      const battery = await attackBattery(probeId as string, checks);
      tally.blocked = battery.blocked;
    }
    drift(project.outdir, checks);
    await checkSwarm(services, checks);
    if (options.upgradeTo !== undefined) {
      const upgraded = await upgradeCheck(ctx, project, options.upgradeTo, checks);
      env = upgraded.env;
      upgradeDiffs = upgraded.diffs;
    }
    // Last: it deploys a new expiry to the database stack, which a later plan would undo.
    await checkDatabasePersistence({ project, env: as("bob"), checks, say });
  } catch (error) {
    checks.check(
      false,
      `provider ${version}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (deployed) {
      try {
        const destroyed = await project.cdktf("destroy", ALL_STACKS, {
          ...env,
          HARDENED_DOCKER_DEPLOYED_BY: "bob",
        });
        say(`cdktf destroy --auto-approve: ${destroyed.seconds.toFixed(1)} s`);
        const left = await leftovers(ALL_STACKS);
        checks.check(left.length === 0, `cdktf destroy left behind: ${left.join(", ")}`);
        if (left.length === 0)
          say("after destroy: no container, network, secret or service of the stacks is left");
      } catch (error) {
        checks.check(false, error instanceof Error ? error.message : String(error));
      }
    }
    await sweepDeployObjects(ALL_STACKS).catch(() => undefined);
  }
  say(`provider ${version}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { tally, ...(upgradeDiffs !== undefined ? { upgradeDiffs } : {}) };
}

function closingLine(version: string, t: Tally): string {
  return (
    `provider ${version}: deployed ${ALL_STACKS.length} stacks, ${t.containers} containers, ${t.services} services: ` +
    `${t.diffs} perpetual diffs, attacks blocked ${t.blocked}/${t.attacks}`
  );
}

/** Bindings from `cdktf get` for the required version; undefined (and a failed check) if not. */
async function bindings(ctx: RunContext, checks: Checks): Promise<string | undefined> {
  try {
    const generated = await generateBindings(
      path.join(ctx.workDir, "bindings"),
      REQUIRED_VERSION,
      ctx.baseEnv,
      path.join(ctx.workDir, "logs", "cdktf-get.log"),
    );
    const problems = checkBindingsSynth(generated.providerModule, REQUIRED_VERSION);
    for (const p of problems) checks.check(false, `bindings from cdktf get: ${p}`);
    say(
      `cdktf get kreuzwerker/docker@${REQUIRED_VERSION} from the mirror: ${generated.seconds.toFixed(1)} s; a HardenedService on them declares ${REQUIRED_VERSION} and joins its network by id: ${problems.length === 0 ? "yes" : "NO"}`,
    );
    return generated.providerModule;
  } catch (error) {
    checks.check(
      false,
      `bindings from cdktf get: ${error instanceof Error ? error.message : error}`,
    );
    return undefined;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const checks = new Checks();
  let tools: { mirror: ProviderMirror; terraform: string };
  try {
    tools = await prerequisites();
  } catch (error) {
    if (error instanceof NotRun) {
      say(`did NOT run: ${error.message}`);
      return 2;
    }
    throw error;
  }
  say(`${tools.terraform}; engine ${(await docker().version()).Version}`);
  const versions = tools.mirror.providers.map((p) => p.version);
  const workDir = mkdtempSync(path.join(tmpdir(), "hd-e2e-deploy-"));
  let tls: TlsRegistry | undefined;
  let initialisedSwarm = false;
  let hadGatewayBridge = true;
  const lines: string[] = [];
  try {
    await sweepDeployObjects(ALL_STACKS);
    const images = await buildE2EImages();
    tls = await startTlsRegistry(workDir);
    const tlsTag = `${tls.address}/hd-e2e/web:1`;
    for (const args of [
      ["tag", `127.0.0.1:5000/hd-e2e/web:1`, tlsTag],
      ["push", tlsTag],
    ]) {
      const r = spawnSync("docker", args, { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr.trim()}`);
    }
    hadGatewayBridge =
      (await docker().listNetworks({ filters: { name: ["docker_gwbridge"] } })).length > 0;
    initialisedSwarm = await ensureSwarm();
    const dbPassword = `pw-${process.pid}-${Date.now()}`;
    const ctx: RunContext = {
      workDir,
      cliConfig: tools.mirror.cliConfig,
      baseEnv: {
        ...process.env,
        TF_CLI_CONFIG_FILE: tools.mirror.cliConfig,
        CHECKPOINT_DISABLE: "1",
        SSL_CERT_FILE: tls.caBundle,
      },
      input: {
        trustedRegistries: ["127.0.0.1:5000/", `${tls.address}/`],
        images: {
          web: images.web,
          worker: images.worker,
          probe: images.probe,
          database: images.database,
        },
        tlsTag,
        expires: "2027-06-30",
        dbPassword,
        dbPasswordFile: writeDatabasePasswordFile(workDir, dbPassword, say),
        swarmWebPort: SWARM_WEB_PORT,
      },
    };
    for (const version of versions) {
      const isRequired = version === REQUIRED_VERSION;
      const generatedProvider = isRequired ? await bindings(ctx, checks) : undefined;
      const upgradeTo =
        !isRequired && versions.includes(REQUIRED_VERSION) ? REQUIRED_VERSION : undefined;
      const failedBefore = checks.failures.length;
      const result = await deployOn(ctx, version, checks, {
        ...(generatedProvider ? { generatedProvider } : {}),
        ...(upgradeTo ? { upgradeTo } : {}),
      });
      lines.push(closingLine(version, result.tally));
      if (upgradeTo !== undefined) {
        lines.push(
          `upgrade ${version} -> ${upgradeTo}: ${result.upgradeDiffs === undefined ? "NOT checked (the deploy failed first)" : `plan against the ${version} state: ${result.upgradeDiffs === 0 ? "no change" : `${result.upgradeDiffs} stacks with changes`}`}`,
        );
      }
      say(`provider ${version}: ${checks.failures.length - failedBefore} failed checks`);
    }
    if (!versions.includes(REQUIRED_VERSION)) {
      checks.check(
        false,
        `kreuzwerker/docker ${REQUIRED_VERSION} is not in the mirror (npm run provider:mirror builds it)`,
      );
    }
  } catch (error) {
    checks.check(false, error instanceof Error ? error.message : String(error));
  } finally {
    await sweepDeployObjects(ALL_STACKS).catch(() => undefined);
    tls?.stop();
    if (initialisedSwarm) await leaveSwarm(hadGatewayBridge).catch(() => undefined);
    if (checks.failures.length === 0) rmSync(workDir, { recursive: true, force: true });
    else say(`logs kept in ${workDir}/*/logs`);
  }
  say(
    `${((Date.now() - started) / 1000).toFixed(0)} s in all; ${checks.failures.length} failed checks`,
  );
  for (const line of lines) process.stdout.write(`${line}\n`);
  return checks.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[e2e:deploy] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
