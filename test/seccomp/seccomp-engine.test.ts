/*
 * Real-engine proof that the shipped seccomp profile works as a profile, not only as JSON: a
 * Docker Engine accepts it inline through the API (as the Terraform provider passes it), a
 * container runs normally under it, and the syscalls it denies fail in the container, where the
 * same container without seccomp succeeds (so the failure is the profile's doing).
 */
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { SeccompProfile } from "../../lib/policy/seccomp";
import { engineDescribe, engineGate } from "../support/engine-gate";

const run = promisify(execFile);

const IMAGE = "hd-test/busybox-seccomp:local";
const TEST_LABEL = "io.hardened-docker.test";
const SUITE_LABEL = "io.hardened-docker.test.suite";
const SUITE = "seccomp-engine";
const LABELS = { [TEST_LABEL]: "1", [SUITE_LABEL]: SUITE };
const BUSYBOX = "/usr/bin/busybox";
const PROBE_SOURCE = path.join(__dirname, "fixtures", "thread-probe.c");

const docker = new Docker();
const GATE_NAME = "seccomp engine proof (test/seccomp/seccomp-engine.test.ts)";
const gate = engineGate(GATE_NAME);

/** What one container printed and how it ended. */
interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a test container differs from the hardened settings (all optional). */
interface RunOptions {
  /** The `seccomp=` value. @default the shipped profile's JSON */
  readonly seccomp?: string;
  readonly user?: string;
  readonly capAdd?: string[];
}

async function command(file: string, args: string[], what: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${what} failed (${file} ${args.join(" ")}): ${detail}`);
  }
}

/** FROM scratch + static busybox (+ symlinks) + the static thread probe, labelled as a test image. */
async function buildImage(): Promise<void> {
  const context = await mkdtemp(path.join(os.tmpdir(), "hd-seccomp-image-"));
  try {
    await copyFile(BUSYBOX, path.join(context, "busybox"));
    await command(
      "gcc",
      ["-static", "-O2", "-pthread", "-o", path.join(context, "thread-probe"), PROBE_SOURCE],
      "compiling the static thread probe (needs gcc and libc6-dev)",
    );
    await writeFile(
      path.join(context, "Dockerfile"),
      [
        "FROM scratch",
        "COPY busybox /bin/busybox",
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        'RUN ["/bin/mkdir", "-m", "1777", "/tmp", "/mnt"]',
        "COPY thread-probe /usr/local/bin/thread-probe",
        `LABEL ${TEST_LABEL}="1" ${SUITE_LABEL}="${SUITE}"`,
        "",
      ].join("\n"),
    );
    await command("docker", ["build", "-q", "-t", IMAGE, context], `building ${IMAGE}`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Removes this suite's containers (leftovers of an interrupted run, or this run's). */
async function sweepContainers(): Promise<void> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${TEST_LABEL}=1`, `${SUITE_LABEL}=${SUITE}`] },
  });
  await Promise.all(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })),
  );
}

/** Splits the Engine's multiplexed log stream (8-byte frame headers) into stdout and stderr. */
function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const chunk = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(chunk);
    offset += 8 + size;
  }
  return {
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
  };
}

/**
 * Runs `cmd` to completion in a new container with the hardened settings (the brief's): the
 * profile inline in SecurityOpt, no-new-privileges, an init process, user 65534:65534, every
 * capability dropped, no network. The container is removed afterwards, also on failure.
 */
async function runInContainer(cmd: string[], options: RunOptions = {}): Promise<RunResult> {
  const seccomp = options.seccomp ?? SeccompProfile.hardenedDefault().toJson();
  const container = await docker.createContainer({
    Image: IMAGE,
    Cmd: cmd,
    User: options.user ?? "65534:65534",
    Labels: LABELS,
    HostConfig: {
      SecurityOpt: [`seccomp=${seccomp}`, "no-new-privileges:true"],
      Init: true,
      CapDrop: ["ALL"],
      CapAdd: options.capAdd ?? [],
      NetworkMode: "none",
    },
  });
  try {
    await container.start();
    const waited = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: waited.StatusCode, ...demux(logs) };
  } finally {
    await container.remove({ force: true, v: true });
  }
}

function sh(script: string): string[] {
  return ["sh", "-c", script];
}

beforeAll(async () => {
  if (!gate.run) return; // the tests are skipped (see engineDescribe)
  await sweepContainers();
  await buildImage();
}, 180_000);

afterAll(async () => {
  if (!gate.run) return;
  await sweepContainers();
  await docker
    .getImage(IMAGE)
    .remove({ force: true })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`[seccomp-engine] could not remove ${IMAGE} (continuing): ${message}\n`);
    });
}, 60_000);

engineDescribe(GATE_NAME, gate)("the shipped seccomp profile on a real Docker Engine", () => {
  test("a container starts under it and runs a shell pipeline, sleep and ps", async () => {
    const result = await runInContainer(sh("echo ok | cat && sleep 0.2 && ps"));
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("ok");
    expect(lines[1]).toMatch(/^\s*PID\s+USER\s+COMMAND/);
    // PID 1 is Docker's init (Init: true), running as the unprivileged user like everything else.
    expect(lines[2]).toMatch(/^\s*1\s+65534\s+\/sbin\/docker-init -- sh -c/);
  }, 60_000);

  test("the kernel reports seccomp filter mode (Seccomp: 2) and no_new_privs", async () => {
    const result = await runInContainer([
      "grep",
      "-E",
      "^(Seccomp|NoNewPrivs):",
      "/proc/self/status",
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Seccomp:\t2\n");
    expect(result.stdout).toContain("NoNewPrivs:\t1\n");
  }, 60_000);

  test("unshare -U fails under the profile, though the same container without seccomp can do it", async () => {
    const control = await runInContainer(sh("unshare -U true && echo created"), {
      seccomp: "unconfined",
    });
    expect(control).toEqual({ exitCode: 0, stdout: "created\n", stderr: "" });

    const result = await runInContainer(sh("unshare -U true && echo created"));
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("unshare(0x10000000): Operation not permitted");
  }, 60_000);

  test("mount -t tmpfs fails as the hardened user", async () => {
    const result = await runInContainer(sh("mount -t tmpfs none /tmp && echo mounted"));
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("mount: permission denied");
  }, 60_000);

  test("mount stays denied even for root with CAP_SYS_ADMIN, which mounts without seccomp", async () => {
    const asAdmin = { user: "0:0", capAdd: ["SYS_ADMIN"] };
    const control = await runInContainer(sh("mount -t tmpfs none /mnt && echo mounted"), {
      ...asAdmin,
      seccomp: "unconfined",
    });
    expect(control).toEqual({ exitCode: 0, stdout: "mounted\n", stderr: "" });

    const result = await runInContainer(sh("mount -t tmpfs none /mnt && echo mounted"), asAdmin);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("mount: permission denied");
  }, 60_000);

  test("clone3 returns ENOSYS (38), so glibc falls back to clone and threads work", async () => {
    const result = await runInContainer(["/usr/local/bin/thread-probe"]);
    expect(result).toEqual({
      exitCode: 0,
      stdout: "clone3 -1 errno 38\nthread rc 0 value 42\n",
      stderr: "",
    });
    // Without seccomp the kernel itself answers the NULL argument with EINVAL (22): the 38
    // above comes from the profile's clone3 rule.
    const control = await runInContainer(["/usr/local/bin/thread-probe"], {
      seccomp: "unconfined",
    });
    expect(control.stdout).toBe("clone3 -1 errno 22\nthread rc 0 value 42\n");
  }, 60_000);

  test("deny() narrows the profile in the engine: mkdir fails once denied", async () => {
    const script = "mkdir /tmp/made && echo made";
    const allowed = await runInContainer(sh(script));
    expect(allowed).toEqual({ exitCode: 0, stdout: "made\n", stderr: "" });

    const denied = SeccompProfile.hardenedDefault().deny(["mkdir", "mkdirat"]);
    const result = await runInContainer(sh(script), { seccomp: denied.toJson() });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Operation not permitted");
  }, 60_000);

  test("allow() widens the profile in the engine: unshare -U succeeds once allowed", async () => {
    const relaxed = SeccompProfile.hardenedDefault().allow(["unshare"]);
    const result = await runInContainer(sh("unshare -U true && echo created"), {
      seccomp: relaxed.toJson(),
    });
    expect(result).toEqual({ exitCode: 0, stdout: "created\n", stderr: "" });
  }, 60_000);
});
