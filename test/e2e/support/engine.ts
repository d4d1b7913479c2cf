import { PassThrough } from "node:stream";
import Docker from "dockerode";

/** Every object the end-to-end suite creates carries this label (swept by it afterwards). */
export const TEST_LABEL = "io.hardened-docker.test";
/** Which e2e file created an object, so one file's sweep never removes another file's objects. */
export const SUITE_LABEL = "io.hardened-docker.test.suite";

/** The labels for objects created by `suite` (a short file id such as `attack-battery`). */
export function testLabels(suite: string): Record<string, string> {
  return { [TEST_LABEL]: "1", [SUITE_LABEL]: suite };
}

let client: Docker | undefined;

/** The Docker Engine client (DOCKER_HOST, else /var/run/docker.sock). */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "statusCode" in error) {
    const code = (error as { statusCode?: unknown }).statusCode;
    return typeof code === "number" ? code : undefined;
  }
  return undefined;
}

/** Runs a cleanup step; a missing object is fine, any other failure is reported, not thrown. */
async function bestEffort(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (statusOf(error) === 404) return;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[e2e] cleanup of ${what} failed (continuing): ${message}\n`);
  }
}

/** Force-removes one container (and its anonymous volumes). */
export async function removeContainer(idOrName: string): Promise<void> {
  await bestEffort(`container ${idOrName}`, () =>
    docker().getContainer(idOrName).remove({ force: true, v: true }),
  );
}

/**
 * Removes every container, network and volume that carries `suite`'s labels: leftovers of an
 * earlier, interrupted run at start, and this run's objects at the end (also after failures).
 */
export async function sweepSuite(suite: string): Promise<void> {
  const filters = { label: [`${TEST_LABEL}=1`, `${SUITE_LABEL}=${suite}`] };
  const containers = await docker().listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => removeContainer(c.Id)));
  const networks = await docker().listNetworks({ filters });
  for (const n of networks) {
    await bestEffort(`network ${n.Name}`, () => docker().getNetwork(n.Id).remove());
  }
  const volumes = await docker().listVolumes({ filters });
  for (const v of volumes.Volumes ?? []) {
    await bestEffort(`volume ${v.Name}`, () => docker().getVolume(v.Name).remove({ force: true }));
  }
}

/** The result of one command run in a container with `docker exec`. */
export interface ExecResult {
  readonly exitCode: number;
  /** stdout and stderr, interleaved as the command wrote them. */
  readonly output: string;
}

/** Options for {@link execIn}. */
export interface ExecOptions {
  /** Run as this user instead of the container's. @default the container's user */
  readonly user?: string;
  /** Called with the output so far each time more arrives (for commands that hold). */
  readonly onOutput?: (soFar: string) => void;
  /** Give up after this many milliseconds. @default 60000 */
  readonly timeoutMs?: number;
}

/** Runs `cmd` in a running container and waits for it to finish. */
export async function execIn(
  containerId: string,
  cmd: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const container = docker().getContainer(containerId);
  const exec = await container.exec({
    Cmd: [...cmd],
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(options.user !== undefined ? { User: options.user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const output = await new Promise<string>((resolve, reject) => {
    let text = "";
    const collect = new PassThrough();
    collect.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      options.onOutput?.(text);
    });
    // stdout and stderr both go to one collector, in the order the frames arrive.
    docker().modem.demuxStream(stream, collect, collect);
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${cmd.join(" ")} did not finish within ${timeoutMs} ms: ${text}`));
    }, timeoutMs);
    stream.on("end", () => {
      clearTimeout(timer);
      setImmediate(() => resolve(text)); // let the collector deliver the last frame first
    });
    stream.on("error", (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // The exit code is recorded a moment after the stream ends.
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) {
      return { exitCode: info.ExitCode, output };
    }
    await sleep(100);
  }
  throw new Error(`exec ${cmd.join(" ")} finished its output but never reported an exit code`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a value or `timeoutMs` passes. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The container's processes as `ps` lines (`docker top`). */
export async function processesOf(containerId: string): Promise<string[]> {
  const top: unknown = await docker().getContainer(containerId).top();
  const rows = (top as { Processes?: unknown }).Processes;
  if (!Array.isArray(rows)) return [];
  return rows.map((row: unknown) => (Array.isArray(row) ? row.join(" ") : String(row)));
}
