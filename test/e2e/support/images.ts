import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { E2E_REGISTRY, registryAnswers } from "./registry";
import { TEST_LABEL, docker } from "./engine";

const run = promisify(execFile);

/** Where the image sources live (Dockerfiles, scripts, the probe's C sources). */
const IMAGES_DIR = path.resolve(__dirname, "..", "images");
/** Scratch space for build contexts (gitignored). One folder per process: workers never share. */
const WORK_DIR = path.resolve(__dirname, "..", ".work", `images-${process.pid}`);
/** The static busybox from Debian's busybox-static package. */
const BUSYBOX_CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];
/** The version tag every test image gets. */
const TAG = "1";

export type E2EImageName = "web" | "worker" | "probe" | "database";
const NAMES: readonly E2EImageName[] = ["web", "worker", "probe", "database"];

/**
 * The locally built test images, pushed to the loopback registry. Digest references
 * (`127.0.0.1:5000/hd-e2e/web@sha256:...`) are what a HardenedContainer takes; tag references
 * (`127.0.0.1:5000/hd-e2e/web:1`) are for `ContainerImage.fromRegistryTag`.
 */
export interface E2EImages {
  readonly web: string;
  readonly worker: string;
  readonly probe: string;
  /** The PostgreSQL stand-in of the database template (test/e2e/images/database). */
  readonly database: string;
  readonly webTag: string;
  readonly workerTag: string;
  readonly probeTag: string;
}

/** `127.0.0.1:5000/hd-e2e/<name>:1`. */
export function tagReference(name: E2EImageName): string {
  return `${E2E_REGISTRY}/hd-e2e/${name}:${TAG}`;
}

/** True for a 64-bit ELF executable without a PT_INTERP header, i.e. statically linked. */
async function isStaticElf(file: string): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return false;
  }
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2) return false;
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > bytes.length) return false;
    if (bytes.readUInt32LE(at) === PT_INTERP) return false;
  }
  return true;
}

async function staticBusybox(): Promise<string> {
  for (const candidate of BUSYBOX_CANDIDATES) {
    if (await isStaticElf(candidate)) return candidate;
  }
  throw new Error(
    `no statically linked busybox at ${BUSYBOX_CANDIDATES.join(" or ")}: ` +
      "install it with `apt-get install -y busybox-static` (.ci/run does this)",
  );
}

async function command(file: string, args: readonly string[], what: string): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`${what} failed: ${(e.stderr ?? e.message ?? String(error)).trim()}`);
  }
}

/** Copies the image's source folder into a fresh build context with the static busybox. */
async function prepareContext(name: E2EImageName, busybox: string): Promise<string> {
  const context = path.join(WORK_DIR, name);
  await rm(context, { recursive: true, force: true });
  await mkdir(context, { recursive: true });
  for (const file of await readdir(path.join(IMAGES_DIR, name))) {
    if (file.endsWith(".c")) continue;
    await copyFile(path.join(IMAGES_DIR, name, file), path.join(context, file));
  }
  await copyFile(busybox, path.join(context, "busybox"));
  await chmod(path.join(context, "busybox"), 0o755);
  for (const script of ["healthcheck", "postgres", "pg_isready"]) {
    await chmod(path.join(context, script), 0o755).catch(() => undefined);
  }
  if (name === "probe") {
    for (const program of ["probe", "suid-id"]) {
      await command(
        "gcc",
        [
          "-static",
          "-O2",
          "-Wall",
          "-o",
          path.join(context, program),
          path.join(IMAGES_DIR, name, `${program}.c`),
        ],
        `compiling ${program}.c (needs gcc and the static libc, libc6-dev)`,
      );
    }
  }
  return context;
}

async function buildOne(name: E2EImageName, busybox: string): Promise<[string, string]> {
  const context = await prepareContext(name, busybox);
  const tag = tagReference(name);
  await command(
    "docker",
    ["build", "--quiet", "--force-rm", "--label", `${TEST_LABEL}=1`, "-t", tag, context],
    `docker build of ${tag}`,
  );
  await command("docker", ["push", tag], `docker push ${tag} to the loopback registry`);
  const digests = JSON.parse(
    await command("docker", ["inspect", "-f", "{{json .RepoDigests}}", tag], `inspect ${tag}`),
  ) as string[];
  const prefix = `${E2E_REGISTRY}/hd-e2e/${name}@sha256:`;
  const digest = digests.find((d) => d.startsWith(prefix));
  if (!digest) {
    throw new Error(`${tag} was pushed but has no ${prefix}... digest (RepoDigests: ${digests})`);
  }
  return [tag, digest];
}

async function buildAll(): Promise<E2EImages> {
  if (!(await registryAnswers())) {
    throw new Error(
      `no registry answers at http://${E2E_REGISTRY}/v2/: the e2e images are pinned by digest, ` +
        "which needs a registry; start one as .ci/run does (docker-registry serve <config>)",
    );
  }
  const busybox = await staticBusybox();
  try {
    const built: Partial<Record<E2EImageName, [string, string]>> = {};
    for (const name of NAMES) built[name] = await buildOne(name, busybox);
    const get = (name: E2EImageName): [string, string] => built[name] as [string, string];
    return {
      web: get("web")[1],
      worker: get("worker")[1],
      probe: get("probe")[1],
      database: get("database")[1],
      webTag: get("web")[0],
      workerTag: get("worker")[0],
      probeTag: get("probe")[0],
    };
  } finally {
    await rm(WORK_DIR, { recursive: true, force: true });
  }
}

let cached: Promise<E2EImages> | undefined;

/**
 * Builds the four test images FROM scratch (static busybox; the probe adds the attack probe and
 * a setuid-root helper, compiled here with `gcc -static`; the database is the PostgreSQL
 * stand-in of the database template), pushes them to the loopback registry
 * and returns digest-pinned references. Cached for the process: the first call builds (about a
 * second per image), later calls reuse the result.
 */
export function buildE2EImages(): Promise<E2EImages> {
  cached ??= buildAll().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/**
 * Removes the local copies of the test images, including older builds a rebuild untagged (the
 * registry keeps its copy; a later build recreates them in about a second). An image still used
 * by another suite's container is left for that suite's own cleanup.
 */
export async function removeE2EImages(): Promise<void> {
  cached = undefined;
  const prefix = `${E2E_REGISTRY}/hd-e2e/`;
  const images = await docker().listImages({ filters: { label: [`${TEST_LABEL}=1`] } });
  for (const image of images) {
    const references = [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])];
    if (!references.some((r) => r.startsWith(prefix))) continue;
    try {
      await docker().getImage(image.Id).remove({ force: false });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/No such image/i.test(message)) continue;
      process.stderr.write(`[e2e] leaving image ${references[0]}: ${message}\n`);
    }
  }
}
