import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import Docker from "dockerode";
import { engineGate } from "../support/engine-gate";
import { registerDownCommand } from "../../lib/cli/commands/down";
import { registerUpCommand } from "../../lib/cli/commands/up";
import { UsageError } from "../../lib/cli/output";
import { buildBusyboxImage, makeWorkDir, removeWorkDir, sweep, testLabels } from "./engine-support";

/**
 * The `up` / `down` commands: bad input is one line and exit 2 (a UsageError for the CLI's
 * runner), a failed deployment one line and exit code 1, a good stack goes up and down.
 */

jest.setTimeout(60_000);

const docker = new Docker();
const IMAGE = "hd-runtime-cli/busybox:1";
const TEST_LABELS = testLabels("runtime-cli");
const SUITE = "hardened-docker up / down on the real Engine (test/runtime/up-down-cli.test.ts)";
const gate = engineGate(SUITE);
let dir = "";

function program(): { program: Command; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const p = new Command("hardened-docker").exitOverride().configureOutput({
    writeOut: (text) => out.push(text),
    writeErr: (text) => err.push(text),
  });
  registerUpCommand(p);
  registerDownCommand(p);
  return { program: p, out, err };
}

async function stackFile(name: string, resources: Record<string, unknown>): Promise<string> {
  // The cdktf.out layout (stacks/<name>/cdk.tf.json): the stack's folder and metadata agree.
  await mkdir(path.join(dir, "stacks", name), { recursive: true });
  const file = path.join(dir, "stacks", name, "cdk.tf.json");
  await writeFile(
    file,
    JSON.stringify({ "//": { metadata: { stackName: name } }, resource: resources }),
  );
  return file;
}

const labels = Object.entries(TEST_LABELS).map(([label, value]) => ({ label, value }));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "hd-runtime-cli-"));
});

afterAll(async () => {
  if (gate.run) {
    await sweep(docker, TEST_LABELS);
    await docker
      .getImage(IMAGE)
      .remove({ force: true })
      .catch(() => undefined);
  }
  await rm(dir, { recursive: true, force: true });
});

describe("hardened-docker up / down", () => {
  it("refuses an unsupported resource as bad input (UsageError: one line, exit 2), creating nothing", async () => {
    const file = await stackFile("hdrt-cli-refused", {
      docker_container: { c: { name: "hdrt-cli-refused", image: IMAGE } },
      docker_config: { s: { name: "s", data: "eA==" } },
    });
    const { program: p } = program();
    const run = p.parseAsync(["up", "--synth", file], { from: "user" });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(p.parseAsync(["up", "--synth", file], { from: "user" })).rejects.toThrow(
      /does not support docker_config\.s/,
    );
  });

  (gate.run ? it : it.skip)(
    "deploys, reports what it created, and removes it again; a failed deployment sets exit code 1",
    async () => {
      const work = await makeWorkDir();
      await buildBusyboxImage(IMAGE, work, TEST_LABELS);
      await removeWorkDir(work);

      const good = await stackFile("hdrt-cli-good", {
        docker_container: {
          c: { name: "hdrt-cli-good", image: IMAGE, init: true, network_mode: "none", labels },
        },
      });
      const up = program();
      await up.program.parseAsync(["up", "--synth", good], { from: "user" });
      const printed = up.out.join("");
      expect(printed).toContain("created container hdrt-cli-good");
      expect(printed).toMatch(/Stack hdrt-cli-good is up: 1 container\(s\)/);
      expect((await docker.getContainer("hdrt-cli-good").inspect()).State.Running).toBe(true);

      const down = program();
      await down.program.parseAsync(["down", "--synth", good], { from: "user" });
      expect(down.out.join("")).toMatch(/Stack hdrt-cli-good is down: removed 1 container\(s\)/);
      await expect(docker.getContainer("hdrt-cli-good").inspect()).rejects.toMatchObject({
        statusCode: 404,
      });

      const failing = await stackFile("hdrt-cli-fails", {
        docker_container: {
          c: {
            name: "hdrt-cli-fails",
            image: IMAGE,
            command: ["false"],
            network_mode: "none",
            labels,
          },
        },
      });
      const before = process.exitCode;
      const failed = program();
      try {
        await failed.program.parseAsync(["up", "--synth", failing], { from: "user" });
        expect(process.exitCode).toBe(1);
      } finally {
        process.exitCode = before;
      }
      const lines = failed.err.join("").trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^hardened-docker: docker_container\.c: container hdrt-cli-fails is not running/,
      );
    },
  );
});
