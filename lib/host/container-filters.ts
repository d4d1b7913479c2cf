import { z } from "zod";

/**
 * `--filter` values as the Engine API's container list filters: `label=<key>`,
 * `label=<key>=<value>` and `name=<part of the name>`, as `docker ps --filter` takes them.
 * Several filters of one kind must all match for labels and any may match for names (the
 * Engine's own semantics).
 */

/** The filter kinds the host commands accept. */
export const FILTER_KINDS = ["label", "name"] as const;

/** Engine API list filters: `{ label: ["a=b"], name: ["web"] }`. */
export type ContainerFilters = Readonly<Record<string, readonly string[]>>;

/** A bad `--filter` value; the message is one line naming it and the accepted forms. */
export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FilterSyntaxError";
    this.stack = `${this.name}: ${message}`;
  }
}

const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const FORMS = "use label=<key>, label=<key>=<value> or name=<name>";

const filterSchema = z.union([
  z
    .string()
    .regex(/^label=[^=]+(=.*)?$/)
    .refine((text) => LABEL_KEY_RE.test(text.slice("label=".length).split("=")[0] ?? ""), {
      message: "a label key is letters, digits and . _ / -",
    }),
  z.string().regex(/^name=[^\s]+$/),
]);

/** Parses one `--filter` value; throws {@link FilterSyntaxError} when it is not one of the forms. */
export function parseContainerFilter(text: string): { kind: "label" | "name"; value: string } {
  if (text.length > 1024) {
    throw new FilterSyntaxError(`--filter is ${text.length} characters long; ${FORMS}`);
  }
  const parsed = filterSchema.safeParse(text);
  if (!parsed.success) {
    throw new FilterSyntaxError(`--filter ${JSON.stringify(text)} is not a filter; ${FORMS}`);
  }
  const kind = text.startsWith("label=") ? "label" : "name";
  return { kind, value: text.slice(kind.length + 1) };
}

/** Collects `--filter` values into Engine API filters (an empty object when none). */
export function containerFilters(texts: readonly string[]): ContainerFilters {
  const result: Record<string, string[]> = {};
  for (const text of texts) {
    const { kind, value } = parseContainerFilter(text);
    (result[kind] ??= []).push(value);
  }
  return result;
}

/** The filters as `docker ps` would print them, for messages: `label=a=b, name=web`. */
export function describeFilters(filters: ContainerFilters): string {
  const parts = Object.entries(filters).flatMap(([kind, values]) =>
    values.map((v) => `${kind}=${v}`),
  );
  return parts.length === 0 ? "none" : parts.join(", ");
}
