import { execFileSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** What `npm pack` would put in the tarball (`--ignore-scripts`: `npm test` has built dist/). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [entry] = JSON.parse(out) as { files: { path: string }[] }[];
  return entry.files.map((f) => f.path);
}

describe("the published package", () => {
  const files = packedFiles();

  test("holds the compiled library and its types, the README and package.json, and nothing else", () => {
    const other = files.filter(
      (f) =>
        !/^dist\/lib\/.*\.(js|d\.ts)$/.test(f) &&
        !/^docs\//.test(f) &&
        !["README.md", "package.json"].includes(f),
    );
    expect(other).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["dist/lib/index.js", "dist/lib/index.d.ts"]));
    expect(files).toContain("dist/lib/cli/main.js");
  });

  test("ships no tests, examples, CI scripts or main.ts", () => {
    expect(files.filter((f) => /(^|\/)(test|examples|\.ci)\/|main\.ts$|\.test\./.test(f))).toEqual(
      [],
    );
  });

  test("takes cdktf, constructs and the provider bindings as peers, not as its own copies", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require(path.join(ROOT, "package.json")) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    for (const name of ["cdktf", "constructs", "@cdktf/provider-docker"]) {
      expect(pkg.dependencies).not.toHaveProperty(name);
      expect(pkg.peerDependencies).toHaveProperty(name);
    }
  });
});
