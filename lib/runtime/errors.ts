/**
 * Errors of the `up` / `down` harness. Each message says what is wrong, where (resource address
 * and attribute), the value, and what to do instead; `stack` is the message alone, so the CLI
 * (and an uncaught error) prints one clear line rather than a trace through library internals.
 */

/** The stack JSON cannot be deployed as given (exit code 2 from the CLI). Nothing was created. */
export class StackInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackInputError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * The Engine refused or a deployed container failed its checks (exit code 1 from the CLI).
 * What this run created has been removed again (see `upStack`).
 */
export class DeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Short, single-line rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The Engine API's error text (dockerode puts it in `json.message`), else the error message. */
export function engineMessage(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const json = (error as { json?: unknown }).json;
    if (typeof json === "object" && json !== null) {
      const message = (json as { message?: unknown }).message;
      if (typeof message === "string") return message;
    }
    const reason = (error as { reason?: unknown }).reason;
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (typeof reason === "string" && typeof statusCode === "number") {
      return `${statusCode} ${reason}`;
    }
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message.split("\n")[0];
  }
  return String(error);
}

/** HTTP status of a dockerode error, when it has one. */
export function engineStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null) {
    const statusCode = (error as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === "number") return statusCode;
  }
  return undefined;
}
