/**
 * JSON decoded the way Go's `encoding/json` decodes it into a struct, for the settings the Docker
 * daemon reads with it (a seccomp profile). `JSON.parse` and a Go struct disagree on what a text
 * says, and an adversary writes the text:
 * - a key matches a field exactly, or else case-insensitively with Unicode simple folding
 *   (`ſyscalls` is `syscalls`, the Kelvin sign `K` is `k`, `DefaultAction` is `defaultAction`);
 * - of two keys that name one field, the later one wins; `null` leaves a string, a number or a
 *   struct as it was, and empties a list or a pointer;
 * - unknown keys are skipped; a value of the wrong type is an error (Docker refuses the profile);
 * - a second object or list for the same field is merged into the first (and a list reuses the
 *   elements left over from the first, by capacity): this reader does not model that, and says
 *   the text is ambiguous instead, so the caller fails closed.
 * Numbers are read as Go reads them into unsigned integers: a decimal literal without sign,
 * fraction or exponent, at most 2^64 - 1 (kept as bigint).
 */

/** The Go types the daemon's profile struct uses. */
export type GoType =
  | { readonly kind: "string" }
  | { readonly kind: "uint" }
  | { readonly kind: "pointer"; readonly elem: GoType }
  | { readonly kind: "slice"; readonly elem: GoType }
  | { readonly kind: "struct"; readonly fields: readonly (readonly [string, GoType])[] };

/** A decoded value: string, bigint, null (nil pointer or slice), array, or a struct's fields. */
export type GoValue = string | bigint | null | GoValue[] | { [field: string]: GoValue };

/** What {@link decodeGoJson} read. */
export type GoDecoded =
  | { readonly ok: true; readonly value: GoValue }
  | {
      readonly ok: false;
      readonly ambiguous: boolean;
      /** The text is not JSON at all. */
      readonly notJson?: boolean;
      readonly error: string;
    };

/** Go's scanner refuses nesting deeper than this. */
export const GO_MAX_NESTING = 10_000;

type Node =
  | { readonly t: "object"; readonly entries: [string, Node][] }
  | { readonly t: "array"; readonly items: Node[] }
  | { readonly t: "string"; readonly value: string }
  | { readonly t: "number"; readonly raw: string }
  | { readonly t: "bool" }
  | { readonly t: "null" };

/**
 * The index just past the closing quote of the JSON string opening at `start`, or -1. Linear:
 * each quote is looked at once, with the backslashes just before it.
 */
export function jsonStringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

class Refused extends Error {}

const LITERAL_RE = /[^\s,:[\]{}]+/y;

/** Valid JSON text (checked by JSON.parse first) as a tree that keeps every key, in order. */
function parseTree(text: string): Node {
  let at = 0;
  const skip = (): void => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      at += 1;
    }
  };
  const scalar = (): Node => {
    if (text.charCodeAt(at) === 34) {
      const end = jsonStringEnd(text, at);
      const value = JSON.parse(text.slice(at, end)) as string;
      at = end;
      return { t: "string", value };
    }
    LITERAL_RE.lastIndex = at;
    const raw = (LITERAL_RE.exec(text) as RegExpExecArray)[0];
    at += raw.length;
    if (raw === "null") return { t: "null" };
    if (raw === "true" || raw === "false") return { t: "bool" };
    return { t: "number", raw };
  };
  // Containers being filled, with the key of the value being read (objects).
  const stack: { node: Node & { t: "object" | "array" }; key: string }[] = [];
  let root: Node | undefined;
  const put = (node: Node): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = node;
    else if (top.node.t === "array") top.node.items.push(node);
    else top.node.entries.push([top.key, node]);
  };
  for (;;) {
    skip();
    const top = stack[stack.length - 1];
    const c = text.charCodeAt(at);
    if (c === 44) {
      at += 1; // ,
      continue;
    }
    if (c === 125 || c === 93) {
      at += 1; // } or ]
      stack.pop();
      if (stack.length === 0) break;
      continue;
    }
    if (top?.node.t === "object") {
      // A key, then its colon.
      const end = jsonStringEnd(text, at);
      top.key = JSON.parse(text.slice(at, end)) as string;
      at = end;
      skip();
      at += 1; // :
      skip();
    }
    const v = text.charCodeAt(at);
    if (v === 123 || v === 91) {
      at += 1;
      const node: Node & { t: "object" | "array" } =
        v === 123 ? { t: "object", entries: [] } : { t: "array", items: [] };
      put(node);
      stack.push({ node, key: "" });
      if (stack.length > GO_MAX_NESTING) {
        throw new Refused(`nested more than ${GO_MAX_NESTING} levels (Go's limit)`);
      }
      continue;
    }
    put(scalar());
    if (stack.length === 0) break;
  }
  return root as Node;
}

/**
 * Non-ASCII runes whose simple case-folding orbit holds an ASCII letter (Unicode CaseFolding.txt,
 * statuses C and S): the Kelvin sign folds with `k`, the long s with `s`. No other rune folds
 * into an ASCII letter's orbit, so a key holding any other non-ASCII rune matches no ASCII name.
 */
const FOLDS_TO_ASCII: ReadonlyMap<string, string> = new Map([
  ["\u212a", "K"], // KELVIN SIGN
  ["\u017f", "S"], // LATIN SMALL LETTER LONG S
]);

/**
 * A key folded as Go folds it to compare it with ASCII field names: ASCII letters to upper case,
 * the two runes of {@link FOLDS_TO_ASCII} to their ASCII letter, any other rune kept (it can only
 * match itself, and field names are ASCII).
 */
export function goFoldName(name: string): string {
  let out = "";
  for (const r of name) {
    const code = r.charCodeAt(0);
    out +=
      code >= 0x61 && code <= 0x7a ? String.fromCharCode(code - 32) : (FOLDS_TO_ASCII.get(r) ?? r);
  }
  return out;
}

/** The zero value of a Go type. */
function zeroOf(type: GoType): GoValue {
  switch (type.kind) {
    case "string":
      return "";
    case "uint":
      return 0n;
    case "pointer":
    case "slice":
      return null;
    case "struct":
      return Object.fromEntries(type.fields.map(([name, t]) => [name, zeroOf(t)]));
  }
}

const UINT_RE = /^(?:0|[1-9][0-9]*)$/;
const MAX_UINT64 = (1n << 64n) - 1n;

interface Context {
  error?: string;
  ambiguous?: string;
}

function describe(node: Node): string {
  return node.t === "number" ? `number ${node.raw.slice(0, 40)}` : node.t;
}

function decodeInto(
  node: Node,
  type: GoType,
  current: GoValue,
  ctx: Context,
  path: string,
): GoValue {
  const mismatch = (): GoValue => {
    ctx.error ??= `${path || "(profile)"}: cannot read a ${describe(node)} into a Go ${type.kind}`;
    return current;
  };
  if (node.t === "null") return type.kind === "pointer" || type.kind === "slice" ? null : current;
  switch (type.kind) {
    case "pointer":
      return decodeInto(node, type.elem, current ?? zeroOf(type.elem), ctx, path);
    case "string":
      return node.t === "string" ? node.value : mismatch();
    case "uint": {
      if (node.t !== "number") return mismatch();
      if (!UINT_RE.test(node.raw) || BigInt(node.raw) > MAX_UINT64) return mismatch();
      return BigInt(node.raw);
    }
    case "slice":
      if (node.t !== "array") return mismatch();
      return node.items.map((item, i) =>
        decodeInto(item, type.elem, zeroOf(type.elem), ctx, `${path}[${i}]`),
      );
    case "struct": {
      if (node.t !== "object") return mismatch();
      const value = { ...(current as { [field: string]: GoValue }) };
      const filled = new Set<string>();
      for (const [key, child] of node.entries) {
        const field = fieldFor(type, key);
        if (field === undefined) continue;
        const [name, fieldType] = field;
        const at = path ? `${path}.${name}` : name;
        const composite =
          fieldType.kind === "slice" ||
          fieldType.kind === "struct" ||
          (fieldType.kind === "pointer" && fieldType.elem.kind === "struct");
        if (composite && (child.t === "object" || child.t === "array")) {
          if (filled.has(name)) {
            ctx.ambiguous ??= `${at} is given twice (keys ${JSON.stringify(key)} and an earlier one that Go reads as the same field): Go merges the second into the first`;
          }
          filled.add(name);
        } else if (composite && child.t === "null" && fieldType.kind !== "struct") {
          filled.delete(name); // a nil list or pointer: the next one starts afresh
        }
        value[name] = decodeInto(child, fieldType, value[name] as GoValue, ctx, at);
      }
      return value;
    }
  }
}

/** The field a key names: the exact name first, else the first whose folded name matches. */
function fieldFor(
  type: GoType & { kind: "struct" },
  key: string,
): readonly [string, GoType] | undefined {
  const exact = type.fields.find(([name]) => name === key);
  if (exact !== undefined) return exact;
  const folded = goFoldName(key);
  return type.fields.find(([name]) => goFoldName(name) === folded);
}

/**
 * Decodes `text` into a value of `type` as Go's `json.Unmarshal` would: the value, an error where
 * Go returns one, or `ambiguous` where the result depends on Go's merging of repeated composite
 * fields (see the module comment).
 */
export function decodeGoJson(text: string, type: GoType): GoDecoded {
  try {
    JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/,? ?".*$/s, "").slice(0, 120);
    const start = JSON.stringify(text.trim().slice(0, 40));
    return {
      ok: false,
      ambiguous: false,
      notJson: true,
      error: `not JSON (${reason}); text starts with ${start}`,
    };
  }
  let tree: Node;
  try {
    tree = parseTree(text);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, ambiguous: false, error: error.message };
    throw error;
  }
  const ctx: Context = {};
  const value = decodeInto(tree, type, zeroOf(type), ctx, "");
  if (ctx.error !== undefined) return { ok: false, ambiguous: false, error: ctx.error };
  if (ctx.ambiguous !== undefined) return { ok: false, ambiguous: true, error: ctx.ambiguous };
  return { ok: true, value };
}
