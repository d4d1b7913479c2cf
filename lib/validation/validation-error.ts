import { z } from "zod";
import { unknownFieldsMessage } from "./unknown-field-fix";

/** One thing wrong with a construct's input. */
export interface ValidationProblem {
  /** Construct path, e.g. `payments/api`. */
  readonly constructPath: string;
  /** Dotted field path within the props, e.g. `resources.memoryMiB`. */
  readonly field: string;
  /** The offending value as given. */
  readonly value: unknown;
  /** What is wrong and what to do instead. */
  readonly message: string;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatProblem(problem: ValidationProblem): string {
  return `${problem.constructPath}: ${problem.field} = ${describeValue(problem.value)}: ${problem.message}`;
}

/**
 * Bad input, found before anything is synthesized. The message lists one line per problem with
 * the construct path, the field, the value and the fix. Its `stack` is the message alone, so an
 * uncaught one prints what to change rather than a trace through library internals.
 */
export class HardenedDockerValidationError extends Error {
  constructor(public readonly problems: readonly ValidationProblem[]) {
    super(
      `Invalid hardened-docker configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "HardenedDockerValidationError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns zod issues into problems, reading each offending value from the input. */
export function problemsFromZod(
  constructPath: string,
  error: z.ZodError,
  input: unknown,
  fieldPrefix = "",
): ValidationProblem[] {
  return error.issues.map((issue) => {
    const field = [fieldPrefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    let message = issue.message;
    if (issue.code === "invalid_key") {
      // A record key failed its own schema: zod's outer message is generic, the inner one says why.
      message = issue.issues.map((inner) => inner.message).join("; ") || message;
    } else if (issue.code === "unrecognized_keys") {
      message = unknownFieldsMessage(issue.keys);
    }
    return { constructPath, field: field || "(props)", value: valueAt(input, issue.path), message };
  });
}
