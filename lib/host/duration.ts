import { z } from "zod";

/** A bad `--within` value (one line). */
export class DurationSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DurationSyntaxError";
    this.stack = `${this.name}: ${message}`;
  }
}

const durationSchema = z.string().regex(/^(\d{1,4})([dw])$/);

/** The longest `--within` accepted: ten years, beyond any expiry our constructs allow. */
export const MAX_WITHIN_DAYS = 3650;

/**
 * Parses a look-ahead such as `30d` or `6w` into whole days (0 to {@link MAX_WITHIN_DAYS}).
 * Throws {@link DurationSyntaxError} otherwise.
 */
export function parseWithinDays(text: string): number {
  const parsed = durationSchema.safeParse(text.trim());
  const match = parsed.success ? /^(\d+)([dw])$/.exec(parsed.data) : null;
  if (!match) {
    throw new DurationSyntaxError(
      `--within ${JSON.stringify(text.slice(0, 40))} is not a duration; write days or weeks, e.g. 30d or 6w`,
    );
  }
  const days = Number(match[1]) * (match[2] === "w" ? 7 : 1);
  if (days > MAX_WITHIN_DAYS) {
    throw new DurationSyntaxError(`--within ${text} is more than ${MAX_WITHIN_DAYS} days`);
  }
  return days;
}
