import { execFile, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";

/**
 * Extra Docker daemons beside the machine's main one, for tests and the bench that need engines
 * with other daemon options (daemon rules) or many engines (the fleet). Each has its own socket,
 * `--data-root`, `--exec-root`, `--pidfile` and its OWN bridge: `hdfleetN`, created here with an
 * address of its own /24 (10.213.N.1/24) and given to dockerd as `-b hdfleetN --iptables=false`.
 * Never `--bridge=none`: a daemon started with it deletes the main daemon's docker0 (seen on
 * these machines), and every later container of the main engine fails to start.
 *
 * `stop()` removes the engine's containers, stops dockerd by its PID, then deletes the bridge and
 * the folders. Needs root, `dockerd` and `ip` (iproute2); see {@link extraEnginesAvailable}.
 */

const execFileAsync = promisify(execFile);

/** Options a daemon rule test calls safe: each daemon rule it can pass passes. */
export const SAFE_DAEMON_FLAGS: readonly string[] = [
  "--live-restore",
  "--userns-remap=default",
  "--default-ulimit=nofile=1024:2048",
  "--log-driver=json-file",
  "--log-opt=max-size=10m",
  "--log-opt=max-file=3",
  "--default-cgroupns-mode=private",
];

/** One extra engine. */
export interface ExtraEngine {
  /** `unix://<dir>/docker.sock`. */
  readonly address: string;
  readonly socket: string;
  readonly bridge: string;
  readonly pid: number;
  readonly dir: string;
  /** A client of this engine. */
  readonly docker: Docker;
  /** Removes its containers, stops dockerd, deletes the bridge and the folders. Idempotent. */
  stop(): Promise<void>;
}

/** Whether extra engines can be started here, and if not, why. */
export function extraEnginesAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: "extra dockerd processes need root" };
  for (const tool of ["dockerd", "ip"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      return { ok: false, reason: `${tool} is not on PATH` };
    }
  }
  return { ok: true };
}

const MAX_INDEX = 200;

/** Creates the first free `hdfleetN` bridge (ip link add fails when it exists) and returns N. */
async function claimBridge(): Promise<number> {
  for (let n = 1; n <= MAX_INDEX; n++) {
    try {
      await execFileAsync("ip", ["link", "add", `hdfleet${n}`, "type", "bridge"]);
    } catch {
      continue; // exists (another engine, another run): try the next
    }
    try {
      await execFileAsync("ip", ["addr", "add", `10.213.${n}.1/24`, "dev", `hdfleet${n}`]);
      await execFileAsync("ip", ["link", "set", `hdfleet${n}`, "up"]);
      return n;
    } catch (error) {
      await deleteBridge(`hdfleet${n}`);
      throw error;
    }
  }
  throw new Error(`no free hdfleetN bridge name up to ${MAX_INDEX}`);
}

/**
 * What a stopped (or killed) extra dockerd can leave behind, removed: the containerd shims of its
 * containers (`containerd-shim-runc-v2 ... -address <dir>/exec/...`) and their processes, and the
 * mounts under `dir` (overlay roots, shm, netns). Seen here when 10 engines with 50 containers
 * each were stopped on a loaded machine: 491 shims and 969 mounts outlived their daemons, and the
 * folders could not be removed. Returns how many shims and mounts it found.
 */
export function reapEngineLeftovers(dir: string): { shims: number; mounts: number } {
  // Only ever an extra engine's own folder: "" or "/" would make every shim and mount a match.
  const base = `${tmpdir()}/`;
  if (!dir.startsWith(base) || !/^hdfleet\d+-[A-Za-z0-9]+$/.test(dir.slice(base.length))) {
    throw new Error(`reapEngineLeftovers: ${JSON.stringify(dir)} is not an extra engine's folder`);
  }
  let shims = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // exited meanwhile
    }
    if (!(args[0] ?? "").includes("containerd-shim")) continue;
    const address = args[args.indexOf("-address") + 1] ?? "";
    if (!address.startsWith(`${dir}/`)) continue;
    shims++;
    // The container's init first (killing a PID namespace's init ends every process in it).
    const pid = Number(entry);
    for (const child of childrenOf(pid)) signal(child, "SIGKILL");
    signal(pid, "SIGKILL");
  }
  const mounts = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => (line.split(" ")[1] ?? "").replace(/\\040/g, " "))
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length); // the deepest first
  for (const point of mounts) {
    try {
      execFileSync("umount", ["-l", "--no-canonicalize", point], { stdio: "ignore" });
    } catch {
      // gone with its parent already
    }
  }
  return { shims, mounts: mounts.length };
}

/** The children of every thread of `pid` (a child belongs to the thread that forked it). */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter((c) => c !== "")
        .map(Number);
    } catch {
      return [];
    }
  });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // exited meanwhile
  }
}

async function deleteBridge(name: string): Promise<void> {
  await execFileAsync("ip", ["link", "del", name]).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

/** Starts one extra dockerd with `flags` on its own bridge; resolves once it answers. */
export async function startExtraEngine(flags: readonly string[] = []): Promise<ExtraEngine> {
  for (const flag of flags) {
    if (/^--bridge(=|$)|^-b$/.test(flag)) {
      throw new Error(`${flag}: extra engines get their own bridge; never --bridge=none`);
    }
  }
  const n = await claimBridge();
  const bridge = `hdfleet${n}`;
  const dir = mkdtempSync(join(tmpdir(), `hdfleet${n}-`));
  // --userns-remap: the remapped root must traverse the data root's parents (o+x).
  chmodSync(dir, 0o711);
  const socket = join(dir, "docker.sock");
  const address = `unix://${socket}`;
  const log = openSync(join(dir, "dockerd.log"), "a");
  const child = spawn(
    "dockerd",
    [
      "-H",
      address,
      "--data-root",
      join(dir, "data"),
      "--exec-root",
      join(dir, "exec"),
      "--pidfile",
      join(dir, "docker.pid"),
      "-b",
      bridge,
      "--iptables=false",
      "--ip-masq=false",
      // Containers left at shutdown are stopped with SIGKILL after 2 s, not 15 s each.
      "--shutdown-timeout=2",
      `--default-address-pool=base=10.214.${n}.0/24,size=28`,
      ...flags,
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  closeSync(log);
  child.unref();
  const pid = child.pid;
  const docker = new Docker({ socketPath: socket, timeout: 30_000 });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (pid !== undefined && alive(pid)) {
      try {
        // A few at a time: 500 removals at once on a 2-core machine time out, and what is not
        // removed here outlives the daemon (reaped below).
        const containers = await docker.listContainers({ all: true });
        for (let i = 0; i < containers.length; i += 4) {
          await Promise.all(
            containers.slice(i, i + 4).map((c) =>
              docker
                .getContainer(c.Id)
                .remove({ force: true, v: true })
                .catch(() => undefined),
            ),
          );
        }
      } catch {
        // the engine is gone already: nothing to remove
      }
      process.kill(pid, "SIGTERM");
      if (!(await waitFor(() => !alive(pid), 60_000))) {
        process.kill(pid, "SIGKILL");
        await waitFor(() => !alive(pid), 5_000);
      }
    }
    const left = reapEngineLeftovers(dir);
    if (left.shims > 0) {
      process.stderr.write(
        `[extra dockerd] ${bridge}: killed ${left.shims} containerd shims that outlived dockerd\n`,
      );
    }
    await deleteBridge(bridge);
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // Containers that outlived a killed dockerd keep their mounts: say so, never mask the
      // error that made the caller stop.
      process.stderr.write(
        `[extra dockerd] could not remove ${dir}: ${(error as Error).message}\n`,
      );
    }
  };
  if (pid === undefined) {
    await stop();
    throw new Error("dockerd did not start");
  }
  const answered = await waitFor(
    () =>
      !alive(pid) ||
      docker.ping().then(
        () => true,
        () => false,
      ),
    30_000,
  );
  if (!answered || !alive(pid)) {
    const path = join(dir, "dockerd.log");
    const tail = existsSync(path)
      ? readFileSync(path, "utf8").split("\n").slice(-15).join("\n")
      : "";
    await stop();
    throw new Error(
      `extra dockerd on ${bridge} did not answer (exited, or not within 30 s):\n${tail}`,
    );
  }
  return { address, socket, bridge, pid, dir, docker, stop };
}

/** Starts `count` engines with the same flags at once; stops them all if one fails. */
export async function startExtraEngines(
  count: number,
  flags: readonly string[] = [],
): Promise<ExtraEngine[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => startExtraEngine(flags)),
  );
  const engines = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) {
    await Promise.all(engines.map((e) => e.stop()));
    throw failed.reason;
  }
  return engines;
}
