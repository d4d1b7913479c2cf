import path from "node:path";
import { packedFiles } from "../support/packed-files";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the published package", () => {
  const files = packedFiles();

  test("holds the compiled library and its types, the docs, the templates, README, LICENSE and package.json", () => {
    const other = files.filter(
      (f) =>
        !/^dist\/lib\/.*\.(js|d\.ts)$/.test(f) &&
        !/^docs\/[^/]+\.md$/.test(f) &&
        !/^examples\/[a-z-]+\/(index\.ts|README\.md)$/.test(f) &&
        !/^examples\/ci\/[a-z-]+\.yml$/.test(f) &&
        !["README.md", "LICENSE", "package.json"].includes(f),
    );
    expect(other).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["dist/lib/index.js", "dist/lib/index.d.ts"]));
    expect(files).toContain("dist/lib/cli/main.js");
    expect(files).toContain("LICENSE");
    // what `hardened-docker init` copies
    expect(files).toEqual(
      expect.arrayContaining([
        "examples/web-api/index.ts",
        "examples/web-api/README.md",
        "examples/ci/github-actions.yml",
      ]),
    );
  });

  test("ships no tests, CI scripts, main.ts, repository-only examples or the insecure template", () => {
    expect(
      files.filter(
        (f) =>
          /(^|\/)(test|\.ci)\/|(^|\/)main\.ts$|\.test\./.test(f) ||
          /^examples\/(index|example-defaults)\.ts$|^examples\/insecure-raw\//.test(f),
      ),
    ).toEqual([]);
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
