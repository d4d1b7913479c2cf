/**
 * Errors talking to the Docker Engine, turned into one line a person can act on. The Engine API
 * client (dockerode) reports two kinds of failure: the connection itself (no socket, no
 * permission, nothing listening, the connection dropped) and an HTTP status from a live engine
 * (404 for a container that no longer exists, 500 for an engine-side error).
 */

/** The engine cannot be reached at all, or stopped answering: the command cannot go on. */
export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineUnavailableError";
    // One line for users: no stack trace.
    this.stack = `${this.name}: ${message}`;
  }
}

/** How one failed Engine API call should be handled. */
export type EngineFailure =
  /** The connection failed: the engine is absent, refuses us, or went away. */
  | { readonly kind: "connection"; readonly message: string }
  /** The engine answered 404: the object (a container) does not exist (any more). */
  | { readonly kind: "not-found"; readonly message: string }
  /** The engine answered 409: the container is not running (e.g. `top` on a stopped one). */
  | { readonly kind: "conflict"; readonly message: string }
  /** Any other answer from a live engine. */
  | { readonly kind: "other"; readonly message: string };

/** Socket-level error codes that mean "no usable engine connection". */
const CONNECTION_CODES: Readonly<Record<string, string>> = {
  ENOENT: "no socket at that path (is dockerd running? is DOCKER_HOST right?)",
  EACCES: "permission denied on the socket (run as root or as a member of the docker group)",
  EPERM: "operation not permitted on the socket (run as root or as a member of the docker group)",
  ECONNREFUSED: "connection refused (nothing listens there: is dockerd running?)",
  ECONNRESET: "the connection was reset (the engine stopped or restarted)",
  EPIPE: "the connection broke (the engine stopped or restarted)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ENOTFOUND: "the host name does not resolve",
  ENOTSOCK: "the path is not a socket",
  EAI_AGAIN: "the host name could not be resolved right now",
};

function field(error: unknown, key: string): unknown {
  return typeof error === "object" && error !== null
    ? (error as Record<string, unknown>)[key]
    : undefined;
}

/** The first line of an error's message, at most 300 characters. */
export function shortMessage(error: unknown): string {
  const raw =
    error instanceof Error
      ? error.message
      : typeof field(error, "message") === "string"
        ? String(field(error, "message"))
        : String(error);
  const line = raw.split("\n")[0]?.trim() ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The engine's own error text (dockerode puts the body in `json.message`), else the message. */
function engineText(error: unknown): string {
  const json = field(error, "json");
  const message = field(json, "message");
  if (typeof message === "string" && message.trim() !== "") return shortMessage(message);
  return shortMessage(error);
}

/** Sorts one failed Engine API call into {@link EngineFailure} kinds. */
export function classifyEngineError(error: unknown): EngineFailure {
  const status = field(error, "statusCode");
  if (typeof status === "number") {
    if (status === 404) return { kind: "not-found", message: `404 ${engineText(error)}` };
    if (status === 409) return { kind: "conflict", message: `409 ${engineText(error)}` };
    return { kind: "other", message: `${status} ${engineText(error)}` };
  }
  const code = field(error, "code");
  if (typeof code === "string" && code in CONNECTION_CODES) {
    return { kind: "connection", message: `${CONNECTION_CODES[code]} (${code})` };
  }
  const text = shortMessage(error);
  if (/socket hang up|aborted|timeout|connect|premature close/i.test(text)) {
    return { kind: "connection", message: text };
  }
  return { kind: "other", message: text };
}

/**
 * The one-line error for an engine that cannot be used: where it was looked for and why it
 * failed, e.g. `cannot reach the Docker Engine at unix:///var/run/docker.sock: permission
 * denied on the socket (...) (EACCES)`.
 */
export function engineUnavailable(address: string, error: unknown): EngineUnavailableError {
  const failure = classifyEngineError(error);
  return new EngineUnavailableError(
    `cannot reach the Docker Engine at ${address}: ${failure.message}`,
  );
}
