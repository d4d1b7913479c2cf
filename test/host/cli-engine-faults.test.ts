import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { hasStackTrace } from "../cli/cli-harness";
import { FakeEngineServer, startFakeEngineServer } from "./support/fake-engine-server";

/**
 * The compiled CLI, spawned as a user runs it, against engines that are absent, forbidden or
 * vanish part-way: the real client (dockerode) on real sockets, no Docker Engine needed.
 */

const ROOT = join(__dirname, "..", "..");
const MAIN = join(ROOT, "dist", "lib", "cli", "main.js");
const NOBODY = 65534;

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], dockerHost: string, asUid?: number): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST: dockerHost, NO_COLOR: "1" },
      ...(asUid !== undefined ? { uid: asUid, gid: asUid } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOneLine(result: Spawned, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(pattern);
  expect(hasStackTrace(result.stderr)).toBe(false);
}

let dir = "";
beforeAll(() => {
  if (!existsSync(MAIN)) {
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", ROOT],
      {
        stdio: "pipe",
      },
    );
  }
  dir = mkdtempSync(join(tmpdir(), "hd-host-faults-"));
  chmodSync(dir, 0o755);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("no engine", () => {
  it.each([
    ["audit", "--host"],
    ["inventory"],
    ["drift", "--synth", join(ROOT, "test", "fixtures", "terraform", "compliant.tf.json")],
  ])("%s: DOCKER_HOST at a path with no socket exits 2 with one line", async (...argv) => {
    const result = await cli(argv, `unix://${join(dir, "no-such.sock")}`);
    expectOneLine(
      result,
      /^hardened-docker: cannot reach the Docker Engine at unix:\/\/.*no-such\.sock: no socket at that path .*\(ENOENT\)$/,
    );
  });

  it("a TCP DOCKER_HOST where nothing listens exits 2 with one line", async () => {
    const result = await cli(["audit", "--host"], "tcp://127.0.0.1:1");
    expectOneLine(
      result,
      /cannot reach the Docker Engine at tcp:\/\/127\.0\.0\.1:1: connection refused/,
    );
  });
});

describe("a socket without permission", () => {
  let server: net.Server | undefined;
  const socketPath = () => join(dir, "forbidden.sock");

  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server?.listen(socketPath(), resolve));
    chmodSync(socketPath(), 0o000);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("exits 2 naming the permission problem (mode 000 socket)", async () => {
    // root ignores file modes, so as root the CLI runs as nobody, as an unprivileged user would.
    const uid = process.getuid?.() === 0 ? NOBODY : undefined;
    const result = await cli(["audit", "--host"], `unix://${socketPath()}`, uid);
    expectOneLine(
      result,
      /cannot reach the Docker Engine at unix:\/\/.*forbidden\.sock: permission denied on the socket .*\(EACCES\)$/,
    );
  });
});

describe("an engine that disappears mid-audit", () => {
  let fake: FakeEngineServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("exits 2 with a partial report that still names every listed container", async () => {
    fake = await startFakeEngineServer({ containers: 40, vanishAfterInspections: 12 });
    const result = await cli(
      ["audit", "--host", "--format", "json", "--concurrency", "4"],
      fake.dockerHost,
    );
    expect(result.code).toBe(2);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    // Besides the 40 containers, the lost engine also fails the volume, network and service
    // listings: those are "(input)" findings of their own.
    const resources = new Set(
      report.findings.map((f) => f.resource).filter((r) => r.startsWith("container:/")),
    );
    expect(resources.size).toBe(40);
    const notRead = report.findings.filter((f) => f.ruleId === "HD-INPUT");
    expect(notRead.length).toBeGreaterThanOrEqual(40 - 16);
    expect(result.stderr.trimEnd().split("\n").pop()).toMatch(
      /^hardened-docker: the Docker Engine at unix:\/\/.* stopped answering while container:\/hd-fake-\d+ was read \(.*\); \d+ of 40 containers were read; the report above is incomplete$/,
    );
  });

  it("reads all 40 through the real client when the engine stays", async () => {
    fake = await startFakeEngineServer({ containers: 40 });
    const result = await cli(["audit", "--host", "--format", "json"], fake.dockerHost);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    // One engine (its daemon findings) and its 40 containers.
    expect(new Set(report.findings.map((f) => f.resource)).size).toBe(41);
    expect(report.findings.filter((f) => f.ruleId === "HD-INPUT")).toEqual([]);
    expect(fake.inspections()).toBe(40);
    // busybox:latest is a tag (CIS 4.5 error) and the fixture's expiry date may be over.
    expect(result.code).toBe(1);
  });
});
