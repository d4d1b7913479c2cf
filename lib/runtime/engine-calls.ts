import type Docker from "dockerode";
import { DeploymentError, engineMessage, engineStatus } from "./errors";

/** Small Engine API helpers shared by `up` and `down`. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `docker image inspect`, or undefined when the image is not present. */
export async function inspectImage(
  docker: Docker,
  reference: string,
): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(reference).inspect();
  } catch (error) {
    if (engineStatus(error) === 404) return undefined;
    throw error;
  }
}

/** `docker pull`, waiting for the end of the progress stream and failing on its errors. */
export async function pullImage(
  docker: Docker,
  reference: string,
  platform?: string,
): Promise<void> {
  const stream = await docker.pull(reference, platform ? { platform } : {});
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: unknown[]) => {
      if (error) return reject(error);
      const failed = output.find(
        (event): event is { error: string } =>
          typeof event === "object" &&
          event !== null &&
          typeof (event as { error?: unknown }).error === "string",
      );
      if (failed) return reject(new Error(failed.error));
      resolve();
    });
  });
}

/** Pulls `reference` unless present; returns the image and whether it was pulled. */
export async function ensureImage(
  docker: Docker,
  reference: string,
  platform?: string,
): Promise<{ image: Docker.ImageInspectInfo; pulled: boolean }> {
  const present = await inspectImage(docker, reference);
  if (present) return { image: present, pulled: false };
  try {
    await pullImage(docker, reference, platform);
  } catch (error) {
    throw new DeploymentError(`cannot pull image ${reference}: ${engineMessage(error)}`);
  }
  const image = await inspectImage(docker, reference);
  if (!image) throw new DeploymentError(`image ${reference} is not present after the pull`);
  return { image, pulled: true };
}

/** Splits the Engine's multiplexed log stream (8-byte frame headers) into text. */
export function demuxLogs(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (
    offset + 8 <= buffer.length &&
    buffer[offset] <= 2 &&
    buffer.readUInt16BE(offset + 1) === 0
  ) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString("utf8"));
    offset += 8 + size;
  }
  if (offset === 0) return buffer.toString("utf8");
  return parts.join("");
}

/** The last lines of a container's output, for error messages. */
export async function tailLogs(container: Docker.Container, lines = 20): Promise<string> {
  try {
    const raw: unknown = await container.logs({
      stdout: true,
      stderr: true,
      tail: lines,
      follow: false,
    });
    const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    const text = demuxLogs(buffer).trim();
    return text === "" ? "(no output)" : text;
  } catch (error) {
    return `(logs unavailable: ${engineMessage(error)})`;
  }
}

/** Stops (ignoring "not running") and removes a container; ignores "no such container". */
export async function removeContainer(
  container: Docker.Container,
  options: { stopTimeoutSeconds?: number; removeVolumes?: boolean } = {},
): Promise<void> {
  try {
    await container.stop(
      options.stopTimeoutSeconds === undefined ? {} : { t: options.stopTimeoutSeconds },
    );
  } catch (error) {
    const status = engineStatus(error);
    if (status !== 304 && status !== 404 && status !== 409) throw error;
  }
  try {
    await container.remove({ force: true, v: options.removeVolumes ?? true });
  } catch (error) {
    // 404: already gone; 409: removal already in progress (e.g. `rm = true`).
    const status = engineStatus(error);
    if (status !== 404 && status !== 409) throw error;
  }
}
