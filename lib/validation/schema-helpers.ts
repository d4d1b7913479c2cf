import { z } from "zod";

/** Zod building blocks shared by the constructs' props schemas: one message per problem, with the fix. */

/** A whole number in `[min, max]`; every message ends with `fix`. */
export const whole = (what: string, min: number, max: number, fix: string) =>
  z
    .number({ error: `${what} must be a number. ${fix}` })
    .int({ error: `${what} must be a whole number. ${fix}` })
    .min(min, { error: `${what} must be at least ${min}. ${fix}` })
    .max(max, { error: `${what} must be at most ${max}. ${fix}` });

/** A trimmed, non-empty string of at most 256 characters. */
export const nonEmpty = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(256, { error: `${what} must be at most 256 characters` });

/** A Docker object name (container, service, network): letters, digits, `_ . -`. */
export const dockerName = (what: string) =>
  z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, {
    error: `${what} must start with a letter or digit and contain only letters, digits, _ . - (at most 128)`,
  });

/** An injectable clock. */
export const clockSchema = z.custom<{ now(): Date }>(
  (c) => typeof c === "object" && c !== null && typeof (c as { now?: unknown }).now === "function",
  { error: "clock must be an object with a now(): Date method" },
);
