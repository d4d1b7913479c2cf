import { execFile } from "node:child_process";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The host-suite test image: static busybox FROM scratch, and a fake `/usr/sbin/sshd`. */
export const HOST_IMAGE_REPOSITORY = "127.0.0.1:5000/hd-host/busybox";
export const HOST_IMAGE_TAG = `${HOST_IMAGE_REPOSITORY}:1`;

export interface HostTestImage {
  /** `127.0.0.1:5000/hd-host/busybox:1` (a tag: what a loose container uses). */
  readonly tag: string;
  /** `127.0.0.1:5000/hd-host/busybox@sha256:...` (what a HardenedContainer needs). */
  readonly digest: string;
}

const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/mkdir", "-p", "-m", "1777", "/tmp"]
COPY sshd /usr/sbin/sshd
LABEL io.hardened-docker.test="1"
CMD ["sleep", "3600"]
`;

/** A shell script that shows up in \`top\` as "/bin/sh /usr/sbin/sshd -D" (CIS 5.7 bait). */
const FAKE_SSHD = "#!/bin/sh\nsleep 3600\n";

async function docker(args: readonly string[], what: string, host?: string): Promise<string> {
  try {
    const { stdout } = await run("docker", [...args], {
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        DOCKER_BUILDKIT: "0",
        ...(host !== undefined ? { DOCKER_HOST: host } : {}),
      },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`${what} failed: ${(e.stderr ?? e.message ?? String(error)).trim()}`);
  }
}

let cached: Promise<HostTestImage> | undefined;

/**
 * Builds the image under `tag` locally (no registry needed); returns the tag. `host` builds it
 * on another engine (an extra dockerd of test/support/extra-dockerd.ts); `labels` are added to the
 * image (a label unique to a run makes a digest no earlier run signed).
 */
export async function buildLocalImage(
  tag: string,
  host?: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<string> {
  const context = await mkdtemp(path.join(tmpdir(), "hd-host-image-"));
  try {
    await copyFile("/bin/busybox", path.join(context, "busybox"));
    await chmod(path.join(context, "busybox"), 0o755);
    await writeFile(path.join(context, "sshd"), FAKE_SSHD, { mode: 0o755 });
    await writeFile(path.join(context, "Dockerfile"), DOCKERFILE);
    const labelArgs = Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
    await docker(
      ["build", "--quiet", "--force-rm", ...labelArgs, "-t", tag, context],
      "docker build",
      host,
    );
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Removes a local image reference; leaves it when a container still uses it. */
export async function removeLocalImage(tag: string): Promise<void> {
  await docker(["image", "rm", tag], "docker image rm").catch(() => undefined);
}

/**
 * Builds the image from the static busybox (busybox-static package), pushes it to the loopback
 * registry and returns its tag and digest references. Cached per process; about a second.
 */
export function buildHostTestImage(): Promise<HostTestImage> {
  cached ??= (async () => {
    await buildLocalImage(HOST_IMAGE_TAG);
    await docker(["push", HOST_IMAGE_TAG], `docker push ${HOST_IMAGE_TAG}`);
    const digests = JSON.parse(
      await docker(["inspect", "-f", "{{json .RepoDigests}}", HOST_IMAGE_TAG], "docker inspect"),
    ) as string[];
    const digest = digests.find((d) => d.startsWith(`${HOST_IMAGE_REPOSITORY}@sha256:`));
    if (!digest)
      throw new Error(`${HOST_IMAGE_TAG} has no registry digest (${digests.join(", ")})`);
    return { tag: HOST_IMAGE_TAG, digest };
  })().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Removes the local image (the registry keeps it); leaves it if a container still uses it. */
export async function removeHostTestImage(): Promise<void> {
  cached = undefined;
  await removeLocalImage(HOST_IMAGE_TAG);
}
