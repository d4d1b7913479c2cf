/**
 * The database template's promise, proven on the engine by `npm run e2e:deploy`: what the server
 * writes to its data volume survives a replacement of its container.
 *
 * After the run's deploys, in the template's container (examples/database, the PostgreSQL
 * stand-in of test/e2e/images/database): it runs as 999:999 with a read-only root; the data path
 * is the named `local` volume `<stack>-pgdata` with no driver options, writable; the password is
 * a read-only file whose content is not in the environment. A marker is written to the volume;
 * then a new expiry is deployed with the real `cdktf deploy` (the labels trigger replaces the
 * container, as for any team changing its expiry), and the new container reads the marker back
 * from the same volume, which the server initialized once and started from twice; the deploy did
 * not touch the `docker_volume` (the Docker volume's CreatedAt is no witness: the local driver
 * reports its folder's mtime). A plan with the new input is empty: the volume's ignored labels
 * make no perpetual diff.
 */
import { chmodSync, chownSync, writeFileSync } from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { DATABASE_PASSWORD_PATH } from "../../examples";
import { docker, execIn, pollUntil } from "../e2e/support/engine";
import { DEPLOY_STACKS, DeployAppInput } from "./stacks";
import { DeployProject, plannedChanges } from "../support/terraform-cli";

/** The template's default user: the official image's `postgres`. */
const DB_USER = "999:999";
const DB_UID = 999;
const DATA_PATH = "/var/lib/postgresql/data";

export interface PersistenceRun {
  readonly project: DeployProject;
  /** The environment the stacks were deployed with (their input in HD_DEPLOY_APP_INPUT). */
  readonly env: NodeJS.ProcessEnv;
  readonly checks: { check(ok: boolean, what: string): boolean };
  readonly say: (line: string) => void;
}

/**
 * Writes the password file the template mounts, as its README asks: owned by the server's user,
 * mode 0400. When the run is not root (chown refused), the file is made world-readable instead,
 * and the run says so.
 */
export function writeDatabasePasswordFile(
  workDir: string,
  password: string,
  say: (line: string) => void,
): string {
  const file = path.join(workDir, "db-password");
  writeFileSync(file, password, { mode: 0o400 });
  try {
    chownSync(file, DB_UID, DB_UID);
  } catch (error) {
    chmodSync(file, 0o444);
    say(`could not chown the database password file to ${DB_USER} (${error}): made it 0444`);
  }
  return file;
}

async function dbContainer(stack: string): Promise<Docker.ContainerInspectInfo | undefined> {
  const name = `${stack}-db`;
  const found = await docker().listContainers({ all: true, filters: { name: [`^/${name}$`] } });
  return found.length === 1 ? docker().getContainer(found[0].Id).inspect() : undefined;
}

function healthy(stack: string, notId: string): Promise<Docker.ContainerInspectInfo> {
  return pollUntil(
    `a new healthy ${stack}-db container`,
    async () => {
      const info = await dbContainer(stack);
      return info !== undefined && info.Id !== notId && info.State.Health?.Status === "healthy"
        ? info
        : undefined;
    },
    90_000,
    500,
  );
}

async function sh(id: string, script: string): Promise<{ exitCode: number; output: string }> {
  const r = await execIn(id, ["sh", "-c", script], { timeoutMs: 30_000 });
  return { exitCode: r.exitCode, output: r.output.trim() };
}

/** What the template's container must be before any data is written. */
async function checkShape(
  info: Docker.ContainerInspectInfo,
  run: PersistenceRun,
  volumeName: string,
): Promise<void> {
  const { checks } = run;
  const input = inputOf(run.env);
  const name = info.Name.replace(/^\//, "");
  checks.check(
    info.Config.User === DB_USER,
    `${name}: runs as ${info.Config.User}, not ${DB_USER}`,
  );
  checks.check(info.HostConfig.ReadonlyRootfs === true, `${name}: the root filesystem is writable`);
  const mounts = (info.Mounts ?? []) as {
    Type?: string;
    Name?: string;
    Source?: string;
    Destination?: string;
    Driver?: string;
    RW?: boolean;
  }[];
  const data = mounts.find((m) => m.Destination === DATA_PATH);
  checks.check(
    data?.Type === "volume" &&
      data.Name === volumeName &&
      data.Driver === "local" &&
      data.RW === true,
    `${name}: ${DATA_PATH} should be the writable local volume ${volumeName}: ${JSON.stringify(data)}`,
  );
  const secret = mounts.find((m) => m.Destination === DATABASE_PASSWORD_PATH);
  checks.check(
    secret?.Type === "bind" && secret.RW === false,
    `${name}: ${DATABASE_PASSWORD_PATH} should be a read-only bind: ${JSON.stringify(secret)}`,
  );
  const volume = await docker().getVolume(volumeName).inspect();
  const options = (volume as { Options?: Record<string, string> | null }).Options ?? {};
  checks.check(
    volume.Driver === "local" && Object.keys(options).length === 0,
    `volume ${volumeName}: driver ${volume.Driver}, options ${JSON.stringify(options)}; expected local, none`,
  );
  const env = info.Config.Env ?? [];
  checks.check(
    env.includes(`POSTGRES_PASSWORD_FILE=${DATABASE_PASSWORD_PATH}`) &&
      !env.some((e) => e.includes(input.dbPassword)),
    `${name}: the environment should name the password file and hold no password: ${env.join(" ")}`,
  );
  const read = await sh(info.Id, `id -u; cat "$POSTGRES_PASSWORD_FILE"`);
  checks.check(
    read.exitCode === 0 && read.output === `${DB_UID}\n${input.dbPassword}`,
    `${name}: reading the password file as the container's user: exit ${read.exitCode}`,
  );
  const rootWrite = await sh(info.Id, "touch /e2e-root-write");
  checks.check(rootWrite.exitCode !== 0, `${name}: could write to its root filesystem`);
}

/** The check, with every outcome recorded in `run.checks`; never throws for a failed check. */
export async function checkDatabasePersistence(run: PersistenceRun): Promise<void> {
  const { checks, say, project, env } = run;
  const stack = DEPLOY_STACKS.database;
  const volumeName = `${stack}-pgdata`;
  try {
    const before = await dbContainer(stack);
    if (!checks.check(before !== undefined, `${stack}: no ${stack}-db container`)) return;
    const first = before as Docker.ContainerInspectInfo;
    await checkShape(first, run, volumeName);
    const marker = `written-by-${first.Id.slice(0, 12)}-${Date.now()}`;
    const wrote = await sh(first.Id, `printf %s '${marker}' > "$PGDATA/e2e-marker"`);
    checks.check(wrote.exitCode === 0, `${stack}: writing to ${DATA_PATH}: ${wrote.output}`);

    const input = inputOf(env);
    const replaced: DeployAppInput = { ...input, expires: dayBefore(input.expires) };
    const replaceEnv = { ...env, HD_DEPLOY_APP_INPUT: JSON.stringify(replaced) };
    const deployed = await project.cdktf("deploy", [stack], replaceEnv);
    const after = await healthy(stack, first.Id);
    const read = await sh(after.Id, `cat "$PGDATA/e2e-marker"; echo; wc -l < "$PGDATA/starts.log"`);
    const [readMarker, starts] = read.output.split("\n").map((l) => l.trim());
    const kept =
      checks.check(
        readMarker === marker,
        `${stack}: the new container read "${readMarker}" from ${DATA_PATH}, expected "${marker}"`,
      ) &&
      checks.check(
        starts === "2",
        `${stack}: starts.log has ${starts} lines, expected 2 (one data directory, two starts)`,
      ) &&
      checks.check(
        !/docker_volume\.\S+ \([^)]*\): (Destroying|Creating)/.test(deployed.log),
        `${stack}: the deploy of the new expiry destroyed or created the volume ${volumeName}`,
      );
    const plan = await project.plan(stack, replaceEnv);
    checks.check(
      plan.status === 0,
      `${stack}: the plan after the replacement is not empty (exit ${plan.status}):\n${plannedChanges(plan.log).join("\n")}`,
    );
    say(
      `${stack}: new expiry deployed in ${deployed.seconds.toFixed(1)} s: container ${first.Id.slice(0, 12)} -> ${after.Id.slice(0, 12)}, ` +
        `volume ${volumeName} ${kept ? "kept its data (marker read back, 2 starts on one data directory)" : "did NOT keep its data"}; ` +
        `plan ${plan.status === 0 ? "empty" : `exit ${plan.status}`}`,
    );
  } catch (error) {
    checks.check(false, `${stack}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function inputOf(env: NodeJS.ProcessEnv): DeployAppInput {
  return JSON.parse(env.HD_DEPLOY_APP_INPUT ?? "{}") as DeployAppInput;
}

/** `YYYY-MM-DD` one day earlier. */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
