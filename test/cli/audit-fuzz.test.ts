import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import fc from "fast-check";
import { MAX_INPUT_FILE_BYTES } from "../../lib/synth";
import { FIXTURES, hasStackTrace, runCli } from "./cli-harness";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-audit-fuzz-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every run ends in a defined exit code; a usage error is one line; nothing prints a trace. */
async function expectWellBehaved(content: string): Promise<number> {
  const file = join(dir, "input.json");
  writeFileSync(file, content);
  const result = await runCli(["audit", "--synth", file, "--format", "json"]);
  expect([0, 1, 2]).toContain(result.code);
  expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
  if (result.code === 2) {
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  } else {
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
  }
  return result.code;
}

const hardenedStack = JSON.parse(
  readFileSync(join(FIXTURES, "hardened", "cdk.tf.json"), "utf8"),
) as { resource: { docker_container: Record<string, Record<string, unknown>> } };
const [containerName, hardenedContainer] = Object.entries(
  hardenedStack.resource.docker_container,
)[0] as [string, Record<string, unknown>];

describe("audit --synth on hostile input", () => {
  it("never crashes on arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        await expectWellBehaved(text);
      }),
      { numRuns: 60 },
    );
  });

  it("never crashes on arbitrary JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), async (json) => {
        await expectWellBehaved(json);
      }),
      { numRuns: 80 },
    );
  });

  it("never crashes when a container's attributes are replaced by arbitrary values", async () => {
    const attributes = Object.keys(hardenedContainer);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...attributes, "pid_mode", "devices", "mounts", "volumes"),
          fc.jsonValue({ maxDepth: 3 }),
          {
            maxKeys: 6,
          },
        ),
        async (replacements) => {
          const stack = {
            ...hardenedStack,
            resource: {
              ...hardenedStack.resource,
              docker_container: { [containerName]: { ...hardenedContainer, ...replacements } },
            },
          };
          await expectWellBehaved(JSON.stringify(stack));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("handles a large stack of thousands of containers", async () => {
    const containers: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i += 1) {
      containers[`c${i}`] = { ...hardenedContainer, name: `c${i}`, privileged: i === 2999 };
    }
    const content = JSON.stringify({
      ...hardenedStack,
      resource: { docker_container: containers },
    });
    expect(content.length).toBeGreaterThan(3_000_000);
    const file = join(dir, "large.json");
    writeFileSync(file, content);
    const result = await runCli(["audit", "--synth", file, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; resource: string; status: string }[];
    };
    expect(
      report.findings
        .filter((f) => f.ruleId === "CIS-5.5" && f.status === "fail")
        .map((f) => f.resource),
    ).toEqual(["docker_container.c2999"]);
  });

  it("refuses a file beyond the size limit without reading it", async () => {
    const file = join(dir, "huge.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_INPUT_FILE_BYTES + 1);
    const result = await runCli(["audit", "--synth", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^hardened-docker: .*huge\.json: the synthesized stack is 32 MiB, more than the 32 MiB/,
    );
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
