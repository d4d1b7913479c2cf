import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import Docker from "dockerode";

/**
 * Real-engine plumbing for the runtime tests: a tiny busybox image, a throwaway registry on a
 * free loopback port, exec. Everything created carries the test labels. Whether the tests run is
 * decided by the one gate, test/support/engine-gate.ts.
 */

const run = promisify(execFile);

/** Labels of everything a runtime test file creates; `suite` keeps files from sweeping each other. */
export function testLabels(suite: string): Record<string, string> {
  return { "io.hardened-docker.test": "1", "io.hardened-docker.test.suite": suite };
}

async function command(file: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`${file} ${args.join(" ")} failed: ${(e.stderr ?? e.message ?? "").trim()}`);
  }
}

/** Builds `FROM scratch` + static busybox (applets installed as symlinks) as `tag`. */
export async function buildBusyboxImage(
  tag: string,
  workDir: string,
  labels: Record<string, string>,
): Promise<void> {
  const context = path.join(workDir, "image");
  await run("mkdir", ["-p", context]);
  await copyFile("/bin/busybox", path.join(context, "busybox"));
  await chmod(path.join(context, "busybox"), 0o755);
  await writeFile(
    path.join(context, "Dockerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      "USER 65534:65534",
      'CMD ["sleep", "3600"]',
      "",
    ].join("\n"),
  );
  const labelArgs = Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
  await command("docker", ["build", "-q", "-t", tag, ...labelArgs, context]);
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.on("timeout", () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** A throwaway distribution registry on a free loopback port, storage in a temp folder. */
export interface TestRegistry {
  readonly host: string;
  stop(): Promise<void>;
}

export async function startRegistry(workDir: string): Promise<TestRegistry> {
  const port = await freePort();
  const storage = path.join(workDir, "registry");
  const config = path.join(workDir, "registry.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storage}`,
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn("/usr/bin/docker-registry", ["serve", config], {
    stdio: "ignore",
  });
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  };
  for (let i = 0; i < 100; i++) {
    if (await answers(`http://${host}/v2/`)) return { host, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${host}`);
}

/** Tags and pushes `image` as `reference`; returns the manifest digest the push reports. */
export async function pushImage(image: string, reference: string): Promise<string> {
  await command("docker", ["tag", image, reference]);
  const output = await command("docker", ["push", reference]);
  const match = /digest: (sha256:[a-f0-9]{64})/.exec(output);
  if (!match) throw new Error(`docker push printed no digest: ${output}`);
  return match[1];
}

export async function removeImageQuietly(reference: string): Promise<void> {
  await command("docker", ["image", "rm", "-f", reference]).catch(() => undefined);
}

export async function makeWorkDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "hd-runtime-"));
}

export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Runs a command in a running container; returns its exit code and combined output. */
export async function execIn(
  docker: Docker,
  id: string,
  cmd: readonly string[],
): Promise<{ exitCode: number; output: string }> {
  const exec = await docker
    .getContainer(id)
    .exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = await new Promise<string>((resolve, reject) => {
    let text = "";
    const sink = new PassThrough();
    sink.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    docker.modem.demuxStream(stream, sink, sink);
    stream.on("end", () => setImmediate(() => resolve(text)));
    stream.on("error", reject);
  });
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`exec ${cmd.join(" ")} reported no exit code`);
}

/** Removes every container, network and volume with these test labels (leftovers included). */
export async function sweep(docker: Docker, labels: Record<string, string>): Promise<void> {
  const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters })) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker
      .getVolume(v.Name)
      .remove()
      .catch(() => undefined);
  }
}
