import { joinLines } from "../policy/facts/linear-text";
/** Somewhere text goes: `process.stdout`, `process.stderr`, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** The CLI's output streams, injectable so commands run in-process in tests. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/**
 * A stream that stops writing, quietly, once its reader has gone (`EPIPE`, as in
 * `hardened-docker audit --format json | head`): the command still finishes and exits with its
 * own code, instead of crashing on an unhandled 'error' event with a stack trace.
 */
export function pipeSafe(stream: NodeJS.WritableStream): TextSink {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") closed = true;
    else throw error;
  });
  return {
    write: (text: string) => (closed ? false : stream.write(text)),
  };
}

let real: CliIo | undefined;

function realIo(): CliIo {
  real ??= { stdout: pipeSafe(process.stdout), stderr: pipeSafe(process.stderr) };
  return real;
}

/** The real process streams, made pipe-safe on first use. */
export const processIo: CliIo = {
  get stdout() {
    return realIo().stdout;
  },
  get stderr() {
    return realIo().stderr;
  },
};

/**
 * Bad usage or unreadable input: the CLI prints `hardened-docker: <message>` on one line and
 * exits with code 2, never a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** Exit codes of every command. */
export const ExitCode = {
  /** Ran; nothing blocking found. */
  ok: 0,
  /** Ran; at least one unsuppressed finding at or above the fail-on level. */
  findings: 1,
  /** Bad usage or unreadable input. */
  usage: 2,
} as const;

/** An error's message on one line (no stack), for stderr. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return joinLines(text).trim();
}
