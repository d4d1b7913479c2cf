import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";
import * as ts from "typescript";

/**
 * Every regular expression of `lib/` runs on text someone else wrote (Terraform files, labels,
 * env values, security options, image references), so none may take more than linear time. This
 * test finds each one in the source (regular expression literals, and `new RegExp(...)` of a
 * string literal or of a `const` string of the same file), and runs it on long adversarial
 * strings built from its own characters: one character repeated, two alternated, a literal run of
 * the expression repeated, each followed by a character that makes the match fail at the end (a
 * near miss). A backtracking expression such as `[a-z][a-z0-9]*://` takes seconds on 20,000
 * characters; a linear one well under a millisecond.
 */

const LIB = join(__dirname, "..", "..", "lib");
const LENGTH = 20_000;
/** Per string; a linear expression takes under 5 ms on 20,000 characters even on a busy machine. */
const BUDGET_MS = 250;

interface FoundRegex {
  readonly where: string;
  readonly regex: RegExp;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The regular expressions of one source file, and the `new RegExp` calls it could not build. */
function regexesOf(file: string): { found: FoundRegex[]; unresolved: string[] } {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const strings = new Map<string, string>();
  const found: FoundRegex[] = [];
  const unresolved: string[] = [];
  const where = (node: ts.Node): string =>
    `${relative(LIB, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const stringOf = (node: ts.Expression | undefined): string | undefined => {
    if (node === undefined) return undefined;
    if (ts.isStringLiteralLike(node)) return node.text;
    if (ts.isIdentifier(node)) return strings.get(node.text);
    return undefined;
  };
  const collectStrings = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer !== undefined &&
      ts.isStringLiteralLike(node.initializer)
    ) {
      strings.set(node.name.text, node.initializer.text);
    }
    ts.forEachChild(node, collectStrings);
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(source);
      const slash = literal.lastIndexOf("/");
      found.push({
        where: where(node),
        regex: new RegExp(literal.slice(1, slash), literal.slice(slash + 1)),
      });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "RegExp"
    ) {
      const pattern = stringOf(node.arguments?.[0]);
      const flags = node.arguments?.[1] === undefined ? "" : stringOf(node.arguments[1]);
      if (pattern === undefined || flags === undefined) unresolved.push(where(node));
      else found.push({ where: where(node), regex: new RegExp(pattern, flags) });
    }
    ts.forEachChild(node, visit);
  };
  collectStrings(source);
  visit(source);
  return { found, unresolved };
}

/** Characters an expression's source names: literals, and one member of each class escape. */
function alphabetOf(regex: RegExp): string[] {
  const chars = new Set<string>(["a", "A", "0", " ", "_", "-", ".", "/", ":", "@", '"', "\\"]);
  const src = regex.source;
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i] as string;
    if (c === "\\") {
      const next = src[i + 1] ?? "";
      const classes: Record<string, string> = { d: "1", w: "b", s: "\t", D: "x", W: "!", S: "y" };
      chars.add(classes[next] ?? (/[a-zA-Z]/.test(next) ? "" : next));
      i += 1;
    } else if (!"^$|()[]{}*+?".includes(c)) {
      chars.add(c);
    }
  }
  chars.delete("");
  return [...chars];
}

/** Literal runs of the expression (`docker update --pids-limit `, `://`), for repeated prefixes. */
function literalRuns(regex: RegExp): string[] {
  return regex.source
    .replace(/\\[dDwWsSbB]/g, "^")
    .replace(/\\(.)/g, "$1")
    .split(/[\^$|()[\]{}*+?]+/)
    .filter((run) => run.length >= 2)
    .slice(0, 6);
}

function attacks(regex: RegExp): string[] {
  const alphabet = alphabetOf(regex);
  const out: string[] = [];
  for (const c of alphabet) out.push(c.repeat(LENGTH), c.repeat(LENGTH) + "!");
  const core = alphabet.slice(0, 8);
  for (const a of core) for (const b of core) if (a < b) out.push((a + b).repeat(LENGTH / 2) + "!");
  for (const run of literalRuns(regex)) {
    out.push(run.repeat(Math.ceil(LENGTH / run.length)) + "!");
    for (const c of core) out.push(run + c.repeat(LENGTH) + "!");
  }
  return out;
}

/** Runs `regex` on `text` as the code does: one test, or every match of a global expression. */
function runOnce(regex: RegExp, text: string): number {
  const copy = new RegExp(regex.source, regex.flags);
  const start = process.hrtime.bigint();
  if (copy.global || copy.sticky) {
    copy.lastIndex = 0;
    for (let m = copy.exec(text); m !== null; m = copy.exec(text)) {
      if (m[0].length === 0) copy.lastIndex += 1;
      if (copy.sticky && copy.lastIndex >= text.length) break;
    }
  } else {
    copy.test(text);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const all = sourceFiles(LIB).map(regexesOf);
const found = all.flatMap((x) => x.found);

describe("every regular expression of lib/ is linear on adversarial input", () => {
  it("finds the expressions (literals, and new RegExp of a constant) and builds every one", () => {
    expect(all.flatMap((x) => x.unresolved)).toEqual([]);
    expect(found.length).toBeGreaterThan(50);
  });

  it.each(found.map((f) => [f.where, f] as const))(
    "%s runs on long adversarial strings within the time bound",
    (_where, { regex }) => {
      const slow: string[] = [];
      for (const text of attacks(regex)) {
        // A second run when the first is slow: a busy machine may pause one of them.
        let ms = runOnce(regex, text);
        if (ms > BUDGET_MS) ms = Math.min(ms, runOnce(regex, text));
        if (ms > BUDGET_MS)
          slow.push(`${JSON.stringify(text.slice(0, 12))}... ${ms.toFixed(0)} ms`);
        if (slow.length > 0) break;
      }
      expect(slow).toEqual([]);
    },
  );
});
