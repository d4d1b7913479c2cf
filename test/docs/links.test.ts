import { existsSync, readFileSync } from "fs";
import { dirname, join, normalize, relative } from "path";
import { packedFiles } from "../support/packed-files";
import { markdownFiles } from "./markdown-snippets";

/**
 * Moving the README's sections into docs/ turned anchors into links between files: every relative
 * link in README.md and docs/*.md must name a file that exists and, with `#anchor`, a heading of
 * that file (as GitHub spells heading anchors).
 */

const ROOT = join(__dirname, "..", "..");

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6} (.*)$/.exec(line);
    if (heading === null) continue;
    const base = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Relative links outside code: `[text](target)`. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe("links between README.md and docs/", () => {
  test.each(markdownFiles(ROOT))("%s links only to files and headings that exist", (file) => {
    const broken: string[] = [];
    for (const target of linksOf(readFileSync(join(ROOT, file), "utf8"))) {
      const [path, anchor] = target.split("#");
      const resolved = path === "" ? join(ROOT, file) : normalize(join(ROOT, dirname(file), path));
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
      } else if (anchor !== undefined && !anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) {
        broken.push(`${target}: no heading with that anchor`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("every relative link of a shipped Markdown file resolves inside the package", () => {
    const shipped = new Set(packedFiles());
    const broken: string[] = [];
    for (const file of [...shipped].filter((f) => f.endsWith(".md"))) {
      for (const target of linksOf(readFileSync(join(ROOT, file), "utf8"))) {
        const [path] = target.split("#");
        if (path === "") continue;
        const resolved = relative(ROOT, normalize(join(ROOT, dirname(file), path)));
        const inPackage =
          shipped.has(resolved) || [...shipped].some((f) => f.startsWith(`${resolved}/`));
        if (!inPackage) broken.push(`${file}: ${target} is not in the package`);
      }
    }
    expect(broken).toEqual([]);
    expect(shipped.has("docs/ci.md") && shipped.has("examples/ci/github-actions.yml")).toBe(true);
  });
});
