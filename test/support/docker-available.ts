import Docker from "dockerode";

/**
 * Whether a Docker Engine answers (for the bench, which reports and moves on), and whether the
 * environment demands one. Tests decide with the one gate, test/support/engine-gate.ts.
 */

/** Whether a Docker Engine answers, and if not, why. */
export type DockerAvailability = { available: true } | { available: false; reason: string };

/** How long one ping may take before the engine counts as unreachable. */
const PING_TIMEOUT_MS = 5000;

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Pings the engine once (`GET /_ping`, at most 5 s). Never throws. */
export async function dockerAvailability(): Promise<DockerAvailability> {
  const where = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DockerAvailability>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          available: false,
          reason: `no answer from ${where} within ${PING_TIMEOUT_MS} ms`,
        }),
      PING_TIMEOUT_MS,
    );
  });
  const ping = new Docker()
    .ping()
    .then((): DockerAvailability => ({ available: true }))
    .catch((error: unknown): DockerAvailability => ({
      available: false,
      reason: `Docker Engine at ${where} is not reachable: ${describeError(error)}`,
    }));
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when the environment demands a real engine (`REQUIRE_DOCKER=1`). */
export function dockerRequired(): boolean {
  return process.env.REQUIRE_DOCKER === "1";
}
