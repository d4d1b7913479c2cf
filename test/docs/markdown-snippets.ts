import { readFileSync, readdirSync } from "fs";
import { join, relative } from "path";

/**
 * The TypeScript snippets of the README and `docs/`, as the docs test compiles and runs them.
 *
 * A fence whose info string is `ts` (or `typescript`) is a whole app: it is typechecked and run,
 * and must synthesize. `ts typecheck-only` marks the rare snippet that cannot run alone; it is
 * still typechecked.
 */
export interface Snippet {
  /** `README.md#3`: the file, relative to the repository, and the snippet's number in it. */
  readonly name: string;
  readonly file: string;
  /** The 1-based line of the snippet's first code line in its file. */
  readonly line: number;
  readonly code: string;
  readonly run: boolean;
}

/** Fences that hold TypeScript but no `ts` info string: they would escape the test. */
export interface HiddenSnippet {
  readonly file: string;
  readonly line: number;
  readonly info: string;
}

const TS_INFO = /^(ts|typescript)(\s+typecheck-only)?$/;

/** README.md and every Markdown file under docs/, relative to `root`. */
export function markdownFiles(root: string): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join("docs", f));
  return ["README.md", ...docs];
}

/** The fenced blocks of one Markdown text: info string, first code line, code. */
function fences(text: string): { info: string; line: number; code: string }[] {
  const lines = text.split("\n");
  const found: { info: string; line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(open[1]) && l.trim() === open[1]);
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`);
    found.push({ info: open[2].trim(), line: i + 2, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return found;
}

/** Every snippet in the given files, and any fence that looks like TypeScript but is not tagged. */
export function extractSnippets(
  root: string,
  files: readonly string[],
): { snippets: Snippet[]; hidden: HiddenSnippet[] } {
  const snippets: Snippet[] = [];
  const hidden: HiddenSnippet[] = [];
  for (const file of files) {
    const name = relative(root, join(root, file));
    let count = 0;
    for (const fence of fences(readFileSync(join(root, file), "utf8"))) {
      const tagged = TS_INFO.exec(fence.info);
      if (tagged !== null) {
        count += 1;
        snippets.push({
          name: `${name}#${count}`,
          file: name,
          line: fence.line,
          code: fence.code,
          run: tagged[2] === undefined,
        });
      } else if (/^\s*import .* from "[^"]+";?$/m.test(fence.code)) {
        hidden.push({ file: name, line: fence.line, info: fence.info });
      }
    }
  }
  return { snippets, hidden };
}
