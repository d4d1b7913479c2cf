import type Docker from "dockerode";
import { engineUnavailable, EngineUnavailableError, shortMessage } from "./engine-errors";

/**
 * The part of the Engine API the host commands use, as a structural type: dockerode's `Docker`
 * satisfies it, and tests pass a small fake. Every answer is typed `unknown` and validated where
 * it is read, since a fake, a proxy or a future engine may answer with anything.
 */
export interface EngineClient {
  /** `GET /_ping`. */
  ping(): Promise<unknown>;
  /** `GET /info` (used for the host's security features: AppArmor, SELinux). */
  info(): Promise<unknown>;
  /** `GET /containers/json`. */
  listContainers(options: {
    all?: boolean;
    filters?: Record<string, string[]>;
  }): Promise<readonly unknown[]>;
  /** A handle on one container; no call is made until a method is used. */
  getContainer(id: string): EngineContainer;
  /** `GET /services` (each with its full spec); fails on a node that is not a swarm manager. */
  listServices?(options: { filters?: Record<string, string[]> }): Promise<readonly unknown[]>;
  /** `GET /swarm` (a manager's swarm spec and root CA); fails on a node that is not a manager. */
  swarmInspect?(): Promise<unknown>;
  /** `GET /volumes` (`{ Volumes: [{ Name, Driver, Options }] }`). */
  listVolumes?(): Promise<unknown>;
  /** `GET /networks` (each with its driver and options). */
  listNetworks?(options: { filters?: Record<string, string[]> }): Promise<readonly unknown[]>;
}

/** The per-container calls: one inspect, and `top` for the process list (CIS 5.7). */
export interface EngineContainer {
  /** `GET /containers/{id}/json`. */
  inspect(): Promise<unknown>;
  /** `GET /containers/{id}/top`. */
  top(options?: { ps_args?: string }): Promise<unknown>;
}

/**
 * How long one Engine API call may take before the engine counts as gone.
 * @default 30000 ms: an inspect takes milliseconds; half a minute means the engine hangs.
 */
export const ENGINE_CALL_TIMEOUT_MS = 30_000;

/** Where the engine is looked for: `DOCKER_HOST`, else the default socket. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.DOCKER_HOST;
  return host !== undefined && host.trim() !== "" ? host : "unix:///var/run/docker.sock";
}

/**
 * A client for the engine at `DOCKER_HOST` (or the default socket). Throws
 * {@link EngineUnavailableError} for a DOCKER_HOST the client cannot parse.
 */
export function connectEngine(timeoutMs: number = ENGINE_CALL_TIMEOUT_MS): EngineClient {
  try {
    // Loaded here, not at import: lib/index.ts exports the host commands, and dockerode (with
    // ssh2) would otherwise add about 170 ms to every cdktf app that imports the library.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Dockerode = require("dockerode") as typeof Docker;
    return new Dockerode({ timeout: timeoutMs });
  } catch (error) {
    throw new EngineUnavailableError(
      `cannot use DOCKER_HOST=${JSON.stringify(process.env.DOCKER_HOST ?? "")}: ${shortMessage(error)}`,
    );
  }
}

/**
 * Pings the engine once; throws {@link EngineUnavailableError} with a one-line reason (no
 * socket, permission denied, connection refused, ...) when it does not answer.
 */
export async function assertEngineAnswers(client: EngineClient, address: string): Promise<void> {
  try {
    await client.ping();
  } catch (error) {
    throw engineUnavailable(address, error);
  }
}
