/**
 * Bad input to the seccomp builder or parser. The message names where the problem is (the method
 * or the field path), the offending value, and what to do instead. Its `stack` is the message
 * alone, so an uncaught one prints what to change rather than a trace through library internals.
 */
export class SeccompProfileError extends Error {
  constructor(
    /** Where: e.g. `SeccompProfile.deny()` or `seccomp profile JSON`. */
    public readonly where: string,
    /** One line per problem. */
    public readonly problems: readonly string[],
  ) {
    super(
      `Invalid ${where} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "SeccompProfileError";
    this.stack = `${this.name}: ${this.message}`;
  }
}
