import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { extractSnippets, markdownFiles, Snippet } from "./markdown-snippets";

/**
 * Every TypeScript snippet in README.md and docs/*.md is typechecked (strict) against this
 * repository's library, imported as a user imports it (`cdktf-hardened-docker`), and, unless its
 * fence says `ts typecheck-only`, run as an app that must synthesize into a temporary folder.
 */

const ROOT = join(__dirname, "..", "..");
const { snippets, hidden } = extractSnippets(ROOT, markdownFiles(ROOT));

let work = "";
const fileOf = new Map<Snippet, string>();
let diagnostics = new Map<string, string[]>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "hd-doc-snippets-"));
  snippets.forEach((snippet, i) => {
    const file = join(work, `snippet-${i + 1}.ts`);
    writeFileSync(file, snippet.code + "\n");
    fileOf.set(snippet, file);
  });
  diagnostics = compile([...fileOf.values()]);
  // At run time `cdktf-hardened-docker` is the library as compiled with the snippets.
  const shim = join(work, "node_modules", "cdktf-hardened-docker");
  mkdirSync(shim, { recursive: true });
  writeFileSync(
    join(shim, "index.js"),
    `module.exports = require(${JSON.stringify(emitted(join(ROOT, "lib", "index.ts")))});\n`,
  );
}, 120_000);

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

/** Where {@link compile} writes the JavaScript of a source file (rootDir is `/`). */
function emitted(source: string): string {
  return join(work, "emit", source.replace(/\.ts$/, ".js"));
}

/**
 * Strict typecheck of the snippets with `cdktf-hardened-docker` mapped to lib/index.ts, then one
 * emit of the snippets and the library they import. Returns each snippet's diagnostics.
 */
function compile(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    rootDir: "/",
    outDir: join(work, "emit"),
    baseUrl: ROOT,
    paths: { "cdktf-hardened-docker": ["lib/index.ts"], "*": ["node_modules/*"] },
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules", "@types")],
  };
  const program = ts.createProgram([...files], options);
  const byFile = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const found = source === undefined ? [] : ts.getPreEmitDiagnostics(program, source);
    byFile.set(
      file,
      found.map((d) => {
        const where =
          d.file !== undefined && d.start !== undefined
            ? d.file.getLineAndCharacterOfPosition(d.start).line
            : undefined;
        return `${where !== undefined ? `line +${where}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      }),
    );
  }
  program.emit();
  return byFile;
}

describe("the TypeScript snippets of README.md and docs/", () => {
  test("there are snippets, README's quick start among them", () => {
    expect(snippets.filter((s) => s.file === "README.md").length).toBeGreaterThanOrEqual(1);
    expect(snippets.length).toBeGreaterThanOrEqual(8);
  });

  test("no TypeScript hides in a fence the test does not read", () => {
    expect(hidden).toEqual([]);
  });

  test("snippets that cannot run alone stay the exception", () => {
    expect(snippets.filter((s) => !s.run).length).toBeLessThanOrEqual(2);
  });

  test("snippets import the library by its package name, never by a path into it", () => {
    for (const snippet of snippets) {
      expect({
        snippet: snippet.name,
        imports: snippet.code.match(/from "(\.|cdktf-hardened-docker\/)[^"]*"/g),
      }).toEqual({ snippet: snippet.name, imports: null });
    }
  });

  describe.each(snippets.map((s) => [`${s.name} (line ${s.line})`, s] as const))(
    "%s",
    (_name, snippet) => {
      test("typechecks against the library", () => {
        const file = fileOf.get(snippet) as string;
        // Lines are relative to the snippet's first line, `line` in its Markdown file.
        expect(diagnostics.get(file)).toEqual([]);
      });

      (snippet.run ? test : test.skip)(
        "runs as an app and synthesizes",
        () => {
          const file = fileOf.get(snippet) as string;
          const outdir = join(work, `${snippet.name.replace(/[^A-Za-z0-9]+/g, "-")}.out`);
          const result = spawnSync(process.execPath, [emitted(file)], {
            cwd: ROOT,
            encoding: "utf8",
            env: {
              ...process.env,
              CDKTF_OUTDIR: outdir,
              NODE_PATH: [join(work, "node_modules"), join(ROOT, "node_modules")].join(":"),
            },
          });
          expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
          const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
            stacks: Record<string, { synthesizedStackPath: string }>;
          };
          for (const stack of Object.values(manifest.stacks)) {
            expect(existsSync(join(outdir, stack.synthesizedStackPath))).toBe(true);
          }
        },
        60_000,
      );
    },
  );
});
