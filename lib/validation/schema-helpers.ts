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

/**
 * The most characters the texts of one prop may hold together (a command's arguments, the env
 * values, the label values): 1 MiB. What a construct accepts, `audit --synth` must read: the gate
 * reads a stack file of up to 32 MiB (`MAX_INPUT_FILE_BYTES` of `lib/synth`), so one workload
 * stays far below it, and a stack of many still has room. A longer value is refused at synth.
 */
export const MAX_PROP_TEXT_CHARS = 1_048_576;

function totalChars(texts: Iterable<string>): number {
  let total = 0;
  for (const text of texts) total += text.length;
  return total;
}

const tooLong = (what: string) =>
  `${what} must hold at most ${MAX_PROP_TEXT_CHARS.toLocaleString("en")} characters in all ` +
  "(what `audit --synth` reads back from the synthesized file): mount a script or a config file instead";

/** A list of strings holding at most {@link MAX_PROP_TEXT_CHARS} characters together. */
export const boundedTextList = <T extends z.ZodType<string>>(what: string, item: T) =>
  z.array(item).refine((list) => totalChars(list) <= MAX_PROP_TEXT_CHARS, { error: tooLong(what) });

/** A string map whose values hold at most {@link MAX_PROP_TEXT_CHARS} characters together. */
export const boundedTextMap = <K extends z.ZodType<string>, V extends z.ZodType<string>>(
  what: string,
  key: K,
  value: V,
) =>
  z
    .record(key, value)
    .refine((map) => totalChars(Object.values(map) as string[]) <= MAX_PROP_TEXT_CHARS, {
      error: tooLong(what),
    });
