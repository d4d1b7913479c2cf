import { z } from "zod";
import { StackInputError, describeValue } from "./errors";

/**
 * Terraform JSON writes a nested block either as an object or as a list of objects; cdktf writes
 * single blocks (`healthcheck`, `capabilities`) as objects and repeatable ones (`ports`) as
 * lists. These helpers accept both spellings.
 */

/** A block that occurs at most once: an object, or a list holding at most one object. */
export function singleBlock<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (Array.isArray(value))
      return value.length === 0 ? undefined : value.length === 1 ? value[0] : value;
    return value;
  }, schema.optional());
}

/** A repeatable block: a list of objects, or one object. */
export function repeatedBlock<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (value !== undefined && !Array.isArray(value) ? [value] : value),
    z.array(schema).optional(),
  );
}

export const stringMap = z.record(z.string(), z.string());

/** Parses with `schema` or throws a StackInputError naming the resource, attribute and value. */
export function parseAttributes<T extends z.ZodType>(
  address: string,
  schema: T,
  attributes: unknown,
): z.output<T> {
  const result = schema.safeParse(attributes);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(attributes)";
    let value: unknown = attributes;
    for (const key of issue.path) {
      value =
        typeof value === "object" && value !== null
          ? (value as Record<PropertyKey, unknown>)[key as PropertyKey]
          : undefined;
    }
    if (issue.code === "unrecognized_keys") {
      return `${address}: unsupported attribute(s) ${issue.keys.join(", ")}: the up harness does not implement them; remove them or deploy with Terraform`;
    }
    return `${address}: attribute ${path} = ${describeValue(value)}: ${issue.message}`;
  });
  throw new StackInputError(lines.join("; "));
}
