import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadSynthesizedStacks, SynthInputError } from "../../lib/synth";

const FIXTURES = join(__dirname, "..", "fixtures", "terraform");

describe("loadSynthesizedStacks", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hd-synth-loader-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function stackFile(name: string, fixtureName = "compliant.tf.json"): string {
    mkdirSync(join(dir, "stacks", name), { recursive: true });
    const file = join(dir, "stacks", name, "cdk.tf.json");
    copyFileSync(join(FIXTURES, fixtureName), file);
    return file;
  }

  it("reads a cdktf.out folder through manifest.json", () => {
    const web = stackFile("web");
    const legacy = stackFile("legacy", "insecure.tf.json");
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({
        version: "0.21.0",
        stacks: {
          web: { name: "web", synthesizedStackPath: "stacks/web/cdk.tf.json" },
          legacy: { name: "legacy", synthesizedStackPath: "stacks/legacy/cdk.tf.json" },
        },
      }),
    );
    const { stacks } = loadSynthesizedStacks(dir);
    expect(stacks.map((s) => [s.name, s.file])).toEqual([
      ["web", web],
      ["legacy", legacy],
    ]);
    expect((stacks[1].json as { resource: object }).resource).toHaveProperty(
      "docker_container.legacy",
    );
  });

  it("refuses a manifest whose workingDirectory (what cdktf deploy runs) is not the audited folder", () => {
    // The audited file is compliant; `cdktf deploy --skip-synth` would run the insecure one.
    stackFile("web");
    stackFile("shadow", "insecure.tf.json");
    const manifest = (workingDirectory: string): void =>
      writeFileSync(
        join(dir, "manifest.json"),
        JSON.stringify({
          stacks: {
            web: { name: "web", synthesizedStackPath: "stacks/web/cdk.tf.json", workingDirectory },
          },
        }),
      );
    manifest("stacks/shadow");
    expect(() => loadSynthesizedStacks(dir)).toThrow(SynthInputError);
    expect(() => loadSynthesizedStacks(dir)).toThrow(
      /workingDirectory "stacks\/shadow".*cdktf deploy/,
    );
    manifest("stacks/web/");
    expect(loadSynthesizedStacks(dir).stacks.map((s) => s.name)).toEqual(["web"]);
  });

  it("reads stacks/*/cdk.tf.json without a manifest", () => {
    stackFile("b");
    stackFile("a");
    expect(loadSynthesizedStacks(dir).stacks.map((s) => s.name)).toEqual(["a", "b"]);
  });

  it("reads a single cdk.tf.json file, named after its folder", () => {
    const file = stackFile("only");
    expect(loadSynthesizedStacks(file).stacks.map((s) => [s.name, s.file])).toEqual([
      ["only", file],
    ]);
  });

  it("names a single file that is not cdk.tf.json after itself", () => {
    expect(loadSynthesizedStacks(join(FIXTURES, "insecure.tf.json")).stacks[0].name).toBe(
      "insecure",
    );
  });

  function thrown(path: string): SynthInputError {
    try {
      loadSynthesizedStacks(path);
    } catch (error) {
      if (error instanceof SynthInputError) return error;
      throw error;
    }
    throw new Error("expected a SynthInputError");
  }

  it.each([
    ["a missing path", (d: string) => join(d, "nope"), /nope: cannot read it \(ENOENT\)/],
    [
      "malformed JSON",
      (d: string) => (writeFileSync(join(d, "bad.json"), "{ not json"), join(d, "bad.json")),
      /bad\.json: not valid Terraform JSON \(line 1, column 3: /,
    ],
    [
      "JSON that is not Terraform",
      (d: string) => (
        writeFileSync(join(d, "package.json"), '{"name":"x"}'),
        join(d, "package.json")
      ),
      /package\.json: not a Terraform JSON configuration/,
    ],
    [
      "an empty folder",
      (d: string) => d,
      /holds no manifest\.json, no stacks\/<name>\/cdk\.tf\.json and no \*\.tf\.json file/,
    ],
    [
      "a manifest without stacks",
      (d: string) => (writeFileSync(join(d, "manifest.json"), "{}"), d),
      /manifest\.json: not a cdktf manifest/,
    ],
    [
      "a manifest pointing at a missing stack",
      (d: string) => (
        writeFileSync(
          join(d, "manifest.json"),
          JSON.stringify({ stacks: { s: { synthesizedStackPath: "stacks/s/cdk.tf.json" } } }),
        ),
        d
      ),
      /cdk\.tf\.json: cannot read the file of stack "s" \(ENOENT\)/,
    ],
  ])("throws a one-line SynthInputError for %s", (_, make, message) => {
    const error = thrown(make(dir));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
    expect(error.stack).toBe(`SynthInputError: ${error.message}`);
  });
});
