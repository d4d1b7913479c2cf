import Docker from "dockerode";

/**
 * Gate for tests that need a real Docker Engine.
 *
 * ```ts
 * let engine: DockerAvailability = { available: false, reason: "not checked yet" };
 * beforeAll(async () => {
 *   engine = await requireDockerOrExplain("seccomp engine proof");
 * });
 * test("...", async () => {
 *   if (!engine.available) return assertEngineUnreachable();
 *   // real assertions against the engine
 * });
 * ```
 *
 * - With `REQUIRE_DOCKER=1` (CI), an unreachable engine makes `requireDockerOrExplain` throw, so
 *   every test of the file fails loudly.
 * - Without it, one line on stderr says which engine tests did not run and why, and each test
 *   body asserts only that the engine is indeed unreachable: never a silent pass that looks
 *   like a proof.
 *
 * The engine is the one dockerode finds: `DOCKER_HOST`, else `/var/run/docker.sock`.
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

/**
 * Checks the engine for the tests named `what`. Reachable: returns `{ available: true }`.
 * Unreachable: throws when `REQUIRE_DOCKER=1`; otherwise prints one line saying that `what`
 * did not run and why, and returns the reason.
 */
export async function requireDockerOrExplain(what: string): Promise<DockerAvailability> {
  const availability = await dockerAvailability();
  if (availability.available) return availability;
  if (dockerRequired()) {
    throw new Error(
      `${what}: REQUIRE_DOCKER=1 but ${availability.reason}. Start dockerd (see ` +
        "docker-engine-on-these-machines.md) or unset REQUIRE_DOCKER to let the test explain itself instead.",
    );
  }
  process.stderr.write(`[engine tests] ${what} did NOT run: ${availability.reason}\n`);
  return availability;
}

/**
 * The body of an engine test when no engine answers: asserts that it is indeed unreachable
 * (so a flaky check cannot turn a skipped proof into a pass) and that REQUIRE_DOCKER is unset.
 */
export async function assertEngineUnreachable(): Promise<void> {
  const again = await dockerAvailability();
  expect(again.available).toBe(false);
  expect(dockerRequired()).toBe(false);
}
