import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../cli/cli-harness";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { buildLocalImage } from "../host/support/busybox-image";
import { engineDescribe, engineGate, EngineGate } from "../support/engine-gate";
import {
  ExtraEngine,
  extraEnginesAvailable,
  SAFE_DAEMON_FLAGS,
  startExtraEngine,
} from "../support/extra-dockerd";
import { testLabels } from "./support/engine";

/**
 * `audit --host`, `inventory` and `drift` over several real engines in one command: two extra
 * dockerd processes (one with default options, one with the safe ones) each running two labelled
 * containers, a Docker CLI context naming one of them, and a socket nobody listens on.
 */

const SUITE = "fleet";
const IMAGE = "hd-fleet/busybox:1";
const FILTER = ["--filter", `label=io.hardened-docker.test.suite=${SUITE}`];

function gateWithExtraEngines(): EngineGate {
  const gate = engineGate("fleet");
  if (!gate.run) return gate;
  const extra = extraEnginesAvailable();
  if (!extra.ok) {
    process.stderr.write(`[engine tests] fleet skipped: ${extra.reason}\n`);
    return { run: false, reason: extra.reason };
  }
  return gate;
}

const gate = gateWithExtraEngines();

engineDescribe("fleet", gate)("several engines in one command", () => {
  let plain: ExtraEngine | undefined;
  let safe: ExtraEngine | undefined;
  let dockerConfig = "";
  const nobody = `unix://${join(tmpdir(), "hd-fleet-nobody-listens.sock")}`;
  const savedConfig = process.env.DOCKER_CONFIG;

  beforeAll(async () => {
    [plain, safe] = await Promise.all([startExtraEngine(), startExtraEngine(SAFE_DAEMON_FLAGS)]);
    for (const engine of [plain, safe]) {
      await buildLocalImage(IMAGE, engine.address);
      for (const n of [1, 2]) {
        const c = await engine.docker.createContainer({
          name: `hd-fleet-${n}`,
          Image: IMAGE,
          Cmd: ["sleep", "3600"],
          Labels: testLabels(SUITE),
        });
        await c.start();
      }
    }
    // A Docker CLI context named "safe-engine" for the safe engine, as `docker context create` writes it.
    dockerConfig = mkdtempSync(join(tmpdir(), "hd-fleet-config-"));
    const id = createHash("sha256").update("safe-engine").digest("hex");
    mkdirSync(join(dockerConfig, "contexts", "meta", id), { recursive: true });
    writeFileSync(
      join(dockerConfig, "contexts", "meta", id, "meta.json"),
      JSON.stringify({
        Name: "safe-engine",
        Metadata: {},
        Endpoints: { docker: { Host: safe.address, SkipTLSVerify: false } },
      }),
    );
    process.env.DOCKER_CONFIG = dockerConfig;
  }, 180_000);

  afterAll(async () => {
    if (savedConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedConfig;
    if (dockerConfig !== "") rmSync(dockerConfig, { recursive: true, force: true });
    await Promise.all([plain?.stop(), safe?.stop()]);
  }, 60_000);

  it("audits both engines concurrently; every finding names its engine; daemon findings differ where the options do", async () => {
    const p = plain as ExtraEngine;
    const result = await runCli([
      "audit",
      "--host",
      "--docker-host",
      p.address,
      "--context",
      "safe-engine",
      ...FILTER,
      "--format",
      "json",
      "--no-processes",
    ]);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.findings.every((f) => f.engine !== undefined)).toBe(true);
    expect(new Set(report.findings.map((f) => f.engine))).toEqual(
      new Set([p.address, "context safe-engine"]),
    );
    const daemon = (engine: string, rule: string) =>
      report.findings.find((f) => f.engine === engine && f.ruleId === rule)?.status;
    for (const rule of ["CIS-2.9", "CIS-2.15", "HD-DAEMON-CGROUP", "HD-DAEMON-LOG-ROTATION"]) {
      expect([rule, daemon(p.address, rule)]).toEqual([rule, "fail"]);
      expect([rule, daemon("context safe-engine", rule)]).toEqual([rule, "pass"]);
    }
    // Both engines' two containers, each judged on its own engine.
    const containers = new Set(
      report.findings
        .filter((f) => f.resource.startsWith("container:"))
        .map((f) => `${f.engine} ${f.resource}`),
    );
    expect(containers.size).toBe(4);
    expect(result.code).toBe(1); // the loose containers fail error-level rules
  }, 60_000);

  it("reports an engine nobody answers as an error finding and exits 2, or lets it through with --allow-unreachable", async () => {
    const p = plain as ExtraEngine;
    const args = ["audit", "--host", "--docker-host", p.address, "--docker-host", nobody];
    const strict = await runCli([...args, ...FILTER, "--format", "json", "--no-processes"]);
    expect(strict.code).toBe(2);
    const report = jsonReportSchema.parse(JSON.parse(strict.stdout));
    const down = report.findings.filter((f) => f.engine === nobody);
    expect(down).toEqual([
      expect.objectContaining({
        ruleId: "HD-ENGINE-UNREACHABLE",
        level: "error",
        status: "unknown",
        resource: `engine:${nobody}`,
      }),
    ]);
    expect(down[0]?.message).toMatch(/no socket at that path/);
    expect(strict.stderr).toContain(`engine ${nobody} not audited`);
    const allowed = await runCli([
      ...args,
      ...FILTER,
      "--format",
      "json",
      "--no-processes",
      "--allow-unreachable",
    ]);
    expect(allowed.code).toBe(1); // the findings of the engine that answered decide
    const again = jsonReportSchema.parse(JSON.parse(allowed.stdout));
    expect(again.findings.find((f) => f.engine === nobody)?.level).toBe("info");
  }, 60_000);

  it("inventory and drift take the same options", async () => {
    const p = plain as ExtraEngine;
    const s = safe as ExtraEngine;
    const inventory = await runCli([
      "inventory",
      "--docker-host",
      p.address,
      "--docker-host",
      s.address,
      "--docker-host",
      nobody,
      ...FILTER,
      "--format",
      "json",
    ]);
    expect(inventory.code).toBe(2);
    const parsed = JSON.parse(inventory.stdout) as {
      engines: {
        engine: string;
        report?: { containers: { name: string }[] };
        unreachable?: string;
      }[];
    };
    expect(
      parsed.engines.map((e) => [e.engine, e.report?.containers.length ?? "unreachable"]),
    ).toEqual([
      [p.address, 2],
      [s.address, 2],
      [nobody, "unreachable"],
    ]);
    const synth = join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json");
    const drift = await runCli([
      "drift",
      "--synth",
      synth,
      "--docker-host",
      p.address,
      "--docker-host",
      s.address,
      ...FILTER,
      "--format",
      "json",
    ]);
    const driftJson = JSON.parse(drift.stdout) as {
      engines: { engine: string; report?: unknown }[];
    };
    expect(driftJson.engines.map((e) => [e.engine, e.report !== undefined])).toEqual([
      [p.address, true],
      [s.address, true],
    ]);
    expect(drift.code).toBe(1); // the stack's container runs on neither engine: missing
  }, 60_000);
});
