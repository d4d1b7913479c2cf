import { ParseErrorCode, printParseErrorCode, visit } from "jsonc-parser";
import { SynthInputError } from "./synth-input-error";
import { jsonStringEnd } from "../policy/go-json";

/**
 * Strict JSON parsing for Terraform JSON files. `JSON.parse` keeps the last of two equal keys,
 * while Terraform applies both (two `"resource"` keys) or refuses the file (two arguments): a
 * reader that sees only the last one audits a configuration Terraform will not deploy. This
 * parser refuses duplicate keys, comments and trailing commas, and remembers on which line each
 * object starts, so findings can point at the resource in the file. Its errors name the line and
 * column, never the file's text.
 */

/** Objects and arrays nested deeper than this are refused (Terraform JSON is a few levels deep). */
export const MAX_JSON_DEPTH = 128;

/**
 * Values (objects, arrays, strings, numbers...) one file may hold: 2,000,000. A synthesized
 * stack of 1,000 hardened containers holds about 106,000; a file of millions of tiny objects
 * would cost seconds and gigabytes to build, so it is refused before that.
 */
export const MAX_JSON_VALUES = 2_000_000;

/** Lines are remembered for objects this shallow: resource bodies sit at depth 5 to 8. */
const LINE_DEPTH = 8;

const LINE = Symbol("hardened-docker/line");

/** A parsed JSON document and the 1-based line where each of its objects starts. */
export interface ParsedJson {
  readonly value: unknown;
  /** The line of the `{` of an object of `value`, when it came from this document. */
  lineOf(object: object): number | undefined;
}

class Abort extends Error {}

/** One object or array being scanned. */
interface Frame {
  readonly object: boolean;
  readonly keys: Set<string> | undefined;
  expectKey: boolean;
  /** The key (object) or index (array) of the value being read. */
  at: string | number;
}

/**
 * Tokens other than strings: punctuation, a line break, or a run of anything else (literals, white
 * space). Strings are found by {@link jsonStringEnd}: an expression for them (`"(?:[^"\\]|\\.)*"`)
 * keeps a backtracking entry per character and overflows the stack on a string of ten million
 * characters, which a synthesized command can be.
 */
const TOKEN_RE = /[{}[\],:]|\n|[^"{}[\],:\n]+/y;

/**
 * The fast path for valid JSON: one pass of a native regular expression over the text finds
 * duplicate keys, depth and value count, and the line of every shallow object by its path; the
 * values come from `JSON.parse`. (jsonc-parser's visitor, which does the same in JavaScript, takes
 * half a second on a 10 MiB stack; it still explains invalid JSON, by line and column.)
 */
function scan(
  text: string,
  file: string,
): { lines: { path: (string | number)[]; line: number }[] } {
  const frames: Frame[] = [];
  const lines: { path: (string | number)[]; line: number }[] = [];
  let line = 1;
  let values = 0;
  const refuse = (message: string): never => {
    throw new SynthInputError(`${file}: not valid Terraform JSON (line ${line}: ${message})`);
  };
  let at = 0;
  while (at < text.length) {
    let token: string;
    if (text.charCodeAt(at) === 34) {
      const end = jsonStringEnd(text, at);
      if (end < 0) break; // invalid JSON: JSON.parse below reports it
      token = text.slice(at, end);
      at = end;
    } else {
      TOKEN_RE.lastIndex = at;
      const match = TOKEN_RE.exec(text);
      if (match === null) break;
      token = match[0];
      at += token.length;
    }
    const c = token.charCodeAt(0);
    const top = frames[frames.length - 1];
    if (c === 10) {
      line += 1;
      continue;
    }
    if (c === 34 && top?.object === true && top.expectKey) {
      let key: string;
      try {
        key = JSON.parse(token) as string;
      } catch {
        continue; // invalid JSON: JSON.parse below reports it
      }
      if (top.keys?.has(key)) {
        refuse(
          `the key ${JSON.stringify(key.slice(0, 60))} appears twice in one object (Terraform would apply both or refuse the file; this audit reads neither): merge them into one`,
        );
      }
      top.keys?.add(key);
      top.at = key;
      top.expectKey = false;
      continue;
    }
    if (c === 44) {
      if (top !== undefined) {
        if (top.object) top.expectKey = true;
        else top.at = (top.at as number) + 1;
      }
      continue;
    }
    if (c === 58 || c === 125 || c === 93) {
      if (c !== 58) frames.pop();
      continue;
    }
    if (c !== 34 && c !== 123 && c !== 91 && token.trim() === "") continue; // whitespace
    values += 1;
    if (values > MAX_JSON_VALUES) {
      refuse(
        `more than ${MAX_JSON_VALUES.toLocaleString("en")} values; a synthesized stack holds far fewer`,
      );
    }
    if (c === 123 || c === 91) {
      if (frames.length >= MAX_JSON_DEPTH) refuse(`nested more than ${MAX_JSON_DEPTH} levels deep`);
      if (c === 123 && frames.length < LINE_DEPTH) {
        lines.push({ path: frames.map((f) => f.at), line });
      }
      frames.push({
        object: c === 123,
        keys: c === 123 ? new Set() : undefined,
        expectKey: c === 123,
        at: 0,
      });
    }
  }
  return { lines };
}

/** Parses `text` (the content of `file`), or throws a one-line {@link SynthInputError}. */
export function parseStrictJson(text: string, file: string): ParsedJson {
  const { lines } = scan(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's message quotes the text: explain the error with the visitor instead.
    parseWithVisitor(text, file);
    throw new SynthInputError(`${file}: not valid Terraform JSON`);
  }
  for (const { path, line } of lines) {
    let object: unknown = value;
    for (const step of path) {
      object =
        object !== null && typeof object === "object"
          ? (object as Record<string | number, unknown>)[step]
          : undefined;
    }
    if (object !== null && typeof object === "object" && !Array.isArray(object)) {
      Object.defineProperty(object, LINE, { value: line });
    }
  }
  return { value, lineOf: (object) => (object as { [LINE]?: number })[LINE] };
}

/** The visitor parse: slower, and used to explain invalid JSON by line and column. */
function parseWithVisitor(text: string, file: string): ParsedJson {
  let values = 0;
  const stack: { container: Record<string, unknown> | unknown[]; key?: string }[] = [];
  let root: unknown;
  let seenRoot = false;
  let failure: string | undefined;
  const fail = (message: string): never => {
    failure ??= message;
    throw new Abort();
  };

  const put = (value: unknown): void => {
    values += 1;
    if (values > MAX_JSON_VALUES) {
      fail(
        `more than ${MAX_JSON_VALUES.toLocaleString("en")} values; a synthesized stack holds far fewer`,
      );
    }
    const top = stack[stack.length - 1];
    if (top === undefined) {
      root = value;
      seenRoot = true;
      return;
    }
    if (Array.isArray(top.container)) {
      top.container.push(value);
      return;
    }
    const key = top.key as string;
    if (key === "__proto__") {
      // An ordinary property, as JSON.parse makes it, not the prototype.
      Object.defineProperty(top.container, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      top.container[key] = value;
    }
  };

  try {
    visit(
      text,
      {
        onObjectBegin: (_offset, _length, startLine) => {
          if (stack.length >= MAX_JSON_DEPTH) {
            fail(`line ${startLine + 1}: nested more than ${MAX_JSON_DEPTH} levels deep`);
          }
          const object: Record<string, unknown> = {};
          if (stack.length < LINE_DEPTH) {
            // Not enumerable: invisible to Object.entries, spreads and JSON.stringify.
            Object.defineProperty(object, LINE, { value: startLine + 1 });
          }
          put(object);
          stack.push({ container: object });
        },
        onObjectProperty: (property, _offset, _length, startLine, startCharacter) => {
          const top = stack[stack.length - 1];
          if (top === undefined || Array.isArray(top.container)) return;
          if (Object.prototype.hasOwnProperty.call(top.container, property)) {
            fail(
              `line ${startLine + 1}, column ${startCharacter + 1}: the key ${JSON.stringify(property.slice(0, 60))} appears twice in one object (Terraform would apply both or refuse the file; this audit reads neither): merge them into one`,
            );
          }
          top.key = property;
        },
        onObjectEnd: () => {
          stack.pop();
        },
        onArrayBegin: (_offset, _length, startLine) => {
          if (stack.length >= MAX_JSON_DEPTH) {
            fail(`line ${startLine + 1}: nested more than ${MAX_JSON_DEPTH} levels deep`);
          }
          const array: unknown[] = [];
          put(array);
          stack.push({ container: array });
        },
        onArrayEnd: () => {
          stack.pop();
        },
        onLiteralValue: (value) => put(value),
        onComment: (_offset, _length, startLine, startCharacter) =>
          fail(`line ${startLine + 1}, column ${startCharacter + 1}: JSON has no comments`),
        onError: (error: ParseErrorCode, _offset, _length, startLine, startCharacter) =>
          fail(
            `line ${startLine + 1}, column ${startCharacter + 1}: ${printParseErrorCode(error)}`,
          ),
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (error) {
    if (!(error instanceof Abort) && !(error instanceof RangeError)) throw error;
    failure ??= "nested too deep to read";
  }
  if (failure === undefined && !seenRoot) failure = "the file is empty";
  if (failure !== undefined) {
    throw new SynthInputError(`${file}: not valid Terraform JSON (${failure})`);
  }
  return {
    value: root,
    lineOf: (object) => (object as { [LINE]?: number })[LINE],
  };
}
