import { Maybe, Unknown, isUnknown } from "../unknown";

/**
 * Readers for attribute values of synthesized Terraform JSON. Each returns the value, `undefined`
 * when the attribute is absent (`null` counts as absent, as in Terraform), or an {@link Unknown}
 * saying why it cannot be read: a Terraform expression only known at apply time, or a value of
 * the wrong type. None of them throws, whatever the input.
 */

/** A function that resolves a whole-string reference (e.g. `${docker_network.n.name}`). */
export type ReferenceResolver = (expression: string) => string | undefined;

const MAX_SHOWN = 120;

/** A short description of a JSON value for messages: `a list`, `the number 3`, `"text"`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value);
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `the boolean ${value}`;
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/** Shortens an expression for a message. */
export function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}

/**
 * True when the string holds a Terraform interpolation (`${...}`) or directive (`%{...}`). The
 * escapes `$${` and `%%{` are literal text.
 */
export function hasTerraformExpression(text: string): boolean {
  return /[$%]\{/.test(text.replace(/\$\$\{|%%\{/g, ""));
}

/** Turns the escapes `$${` / `%%{` back into the literal text Terraform passes on. */
export function unescapeTerraformLiteral(text: string): string {
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

export function applyTimeUnknown(attribute: string, expression: string): Unknown {
  return new Unknown(`${attribute} is only known at apply time: ${shorten(expression)}`);
}

function wrongType(attribute: string, expected: string, value: unknown): Unknown {
  return new Unknown(`${attribute} should be ${expected} but is ${describeValue(value)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string attribute. Numbers and booleans are taken as their text, as Terraform converts them. */
export function readString(
  attribute: string,
  value: unknown,
  resolve?: ReferenceResolver,
): Maybe<string | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    if (!hasTerraformExpression(value)) return unescapeTerraformLiteral(value);
    const resolved = resolve?.(value);
    return resolved ?? applyTimeUnknown(attribute, value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return wrongType(attribute, "a string", value);
}

const NUMBER_TEXT_RE = /^\s*-?\d+(\.\d+)?\s*$/;

/** A number attribute; numeric strings (`"256"`) are accepted, as Terraform converts them. */
export function readNumber(attribute: string, value: unknown): Maybe<number | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") {
    return Number.isFinite(value) ? value : wrongType(attribute, "a finite number", value);
  }
  if (typeof value === "string") {
    if (hasTerraformExpression(value)) return applyTimeUnknown(attribute, value);
    if (NUMBER_TEXT_RE.test(value)) return Number(value);
  }
  return wrongType(attribute, "a number", value);
}

/** A boolean attribute; `"true"` / `"false"` are accepted, as Terraform converts them. */
export function readBoolean(attribute: string, value: unknown): Maybe<boolean | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (hasTerraformExpression(value)) return applyTimeUnknown(attribute, value);
    if (value === "true" || value === "false") return value === "true";
  }
  return wrongType(attribute, "true or false", value);
}

/** A list of strings. A whole-list expression (`${var.caps}`) is only known at apply time. */
export function readStringList(
  attribute: string,
  value: unknown,
  resolve?: ReferenceResolver,
): Maybe<string[] | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && hasTerraformExpression(value)) {
    return applyTimeUnknown(attribute, value);
  }
  if (!Array.isArray(value)) return wrongType(attribute, "a list of strings", value);
  const result: string[] = [];
  for (const [index, element] of value.entries()) {
    const text = readString(`${attribute}[${index}]`, element, resolve);
    if (isUnknown(text)) return text;
    if (text === undefined) return wrongType(`${attribute}[${index}]`, "a string", element);
    result.push(text);
  }
  return result;
}

/** A map of strings (`log_opts`, `tmpfs`). */
export function readStringMap(
  attribute: string,
  value: unknown,
): Maybe<Record<string, string> | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && hasTerraformExpression(value)) {
    return applyTimeUnknown(attribute, value);
  }
  if (!isRecord(value)) return wrongType(attribute, "a map of strings", value);
  const result: Record<string, string> = {};
  for (const [key, element] of Object.entries(value)) {
    if (hasTerraformExpression(key)) return applyTimeUnknown(`${attribute} key`, key);
    const text = readString(`${attribute}["${shorten(key)}"]`, element);
    if (isUnknown(text)) return text;
    if (text === undefined)
      return wrongType(`${attribute}["${shorten(key)}"]`, "a string", element);
    result[unescapeTerraformLiteral(key)] = text;
  }
  return result;
}

/**
 * A repeated nested block (`ports`, `mounts`, `ulimit`). Synthesized JSON writes a list of
 * objects; a single object is taken as a list of one.
 */
export function readBlocks(
  attribute: string,
  value: unknown,
): Maybe<Record<string, unknown>[] | undefined> {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && hasTerraformExpression(value)) {
    return applyTimeUnknown(attribute, value);
  }
  const list = Array.isArray(value) ? value : [value];
  const result: Record<string, unknown>[] = [];
  for (const [index, element] of list.entries()) {
    if (typeof element === "string" && hasTerraformExpression(element)) {
      return applyTimeUnknown(`${attribute}[${index}]`, element);
    }
    if (!isRecord(element)) return wrongType(`${attribute}[${index}]`, "a block (object)", element);
    result.push(element);
  }
  return result;
}

/** A single nested block (`capabilities`, `healthcheck`): an object, or a list of one. */
export function readBlock(
  attribute: string,
  value: unknown,
): Maybe<Record<string, unknown> | undefined> {
  const blocks = readBlocks(attribute, value);
  if (isUnknown(blocks) || blocks === undefined) return blocks;
  if (blocks.length === 0) return undefined;
  if (blocks.length > 1) {
    return new Unknown(`${attribute} should be a single block but has ${blocks.length}`);
  }
  return blocks[0];
}
