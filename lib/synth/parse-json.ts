import { ParseErrorCode, printParseErrorCode, visit } from "jsonc-parser";
import { SynthInputError } from "./synth-input-error";

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
 * stack of 1,000 hardened containers holds about 100,000; a file of millions of tiny objects
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

/** Parses `text` (the content of `file`), or throws a one-line {@link SynthInputError}. */
export function parseStrictJson(text: string, file: string): ParsedJson {
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
    if (Object.prototype.hasOwnProperty.call(top.container, key)) return; // reported in onObjectProperty
    // defineProperty: a key "__proto__" is an ordinary property, as JSON.parse makes it.
    Object.defineProperty(top.container, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
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
