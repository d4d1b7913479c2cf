import Docker from "dockerode";
import { auditHost } from "../../lib/host/host-audit";
import { Finding } from "../../lib/policy/findings";
import { buildLocalImage } from "../host/support/busybox-image";
import { engineDescribe, engineGate, EngineGate } from "../support/engine-gate";
import {
  ExtraEngine,
  extraEnginesAvailable,
  SAFE_DAEMON_FLAGS,
  startExtraEngine,
} from "../support/extra-dockerd";
import { sweepSuite, testLabels } from "./support/engine";

/**
 * The daemon rules on real engines: the machine's main dockerd (Debian's 20.10.24, started
 * without options: no userns, no live restore, cgroup v1 with the host's cgroup namespace,
 * 127.0.0.0/8 insecure, json-file without max-size) and an extra dockerd started by the test
 * support with the safe options (SAFE_DAEMON_FLAGS). Each engine runs one labelled container,
 * the evidence of its default log options.
 */

const SUITE = "daemon-rules";
const IMAGE = "hd-daemon-rules/busybox:1";
const MAIN = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";

function gateWithExtraEngines(): EngineGate {
  const gate = engineGate("daemon rules");
  if (!gate.run) return gate;
  const extra = extraEnginesAvailable();
  if (!extra.ok) {
    process.stderr.write(`[engine tests] daemon rules skipped: ${extra.reason}\n`);
    return { run: false, reason: extra.reason };
  }
  return gate;
}

const gate = gateWithExtraEngines();

function byRule(findings: readonly Finding[], resource: string): Record<string, string> {
  return Object.fromEntries(
    findings.filter((f) => f.resource === resource).map((f) => [f.ruleId, f.status]),
  );
}

async function runOne(client: Docker, name: string): Promise<void> {
  const container = await client.createContainer({
    name,
    Image: IMAGE,
    Cmd: ["sleep", "3600"],
    Labels: testLabels(SUITE),
  });
  await container.start();
}

engineDescribe("daemon rules", gate)("daemon rules on a default and a hardened dockerd", () => {
  const main = new Docker();
  let safe: ExtraEngine | undefined;

  beforeAll(async () => {
    await sweepSuite(SUITE);
    safe = await startExtraEngine(SAFE_DAEMON_FLAGS);
    await Promise.all([buildLocalImage(IMAGE), buildLocalImage(IMAGE, safe.address)]);
    await Promise.all([
      runOne(main, "hd-daemon-rules-main"),
      runOne(safe.docker, "hd-daemon-rules-safe"),
    ]);
  }, 120_000);

  afterAll(async () => {
    await safe?.stop();
    await sweepSuite(SUITE);
    await main
      .getImage(IMAGE)
      .remove()
      .catch(() => undefined);
  }, 60_000);

  const filters = { label: [`io.hardened-docker.test.suite=${SUITE}`] };

  it("finds on the main engine what its defaults leave open", async () => {
    const info = (await main.info()) as { Swarm?: { ControlAvailable?: boolean } };
    const result = await auditHost(main, { address: MAIN, filters, processes: false });
    const found = byRule(result.findings, `engine:${MAIN}`);
    expect(found).toEqual({
      "CIS-1.2.2": "fail", // 20.10 is out of upstream maintenance since 2023-12-10
      "CIS-2.5": "pass", // 127.0.0.0/8 only: loopback
      "CIS-2.7": "not-applicable", // a unix socket
      "CIS-2.9": "fail",
      "CIS-2.15": "fail",
      "CIS-2.17": "pass",
      "CIS-2.18": "pass",
      "HD-DAEMON-CGROUP": "fail",
      "HD-DAEMON-REGISTRY-MIRRORS": "pass",
      "HD-DAEMON-RUNTIME": "pass",
      "HD-DAEMON-LOG-ROTATION": "fail",
      "CIS-7.5": info.Swarm?.ControlAvailable === true ? "fail" : "not-applicable",
      "CIS-7.7": info.Swarm?.ControlAvailable === true ? "pass" : "not-applicable",
    });
    const version = result.findings.find(
      (f) => f.ruleId === "CIS-1.2.2" && f.resource === `engine:${MAIN}`,
    );
    expect(version?.message).toMatch(
      /20\.10 is out of upstream maintenance since 2023-12-10 \(release table dated \d{4}-\d{2}-\d{2}\)/,
    );
  }, 60_000);

  it("passes the daemon rules on the engine started with the safe options", async () => {
    const engine = safe as ExtraEngine;
    const result = await auditHost(engine.docker, {
      address: engine.address,
      filters,
      processes: false,
    });
    const found = byRule(result.findings, `engine:${engine.address}`);
    expect(found).toEqual({
      "CIS-1.2.2": "fail", // the same 20.10 binary: options do not change the version
      "CIS-2.5": "pass",
      "CIS-2.7": "not-applicable",
      "CIS-2.9": "pass",
      "CIS-2.15": "pass",
      "CIS-2.17": "pass",
      "CIS-2.18": "pass",
      "HD-DAEMON-CGROUP": "pass",
      "HD-DAEMON-REGISTRY-MIRRORS": "pass",
      "HD-DAEMON-RUNTIME": "pass",
      "HD-DAEMON-LOG-ROTATION": "pass",
      "CIS-7.5": "not-applicable",
      "CIS-7.7": "not-applicable",
    });
    // The container's own log rotation comes from the daemon's log-opts.
    const containerRotation = result.findings.find(
      (f) => f.ruleId === "HD-LOG-ROTATION" && f.resource === "container:/hd-daemon-rules-safe",
    );
    expect(containerRotation?.status).toBe("pass");
  }, 60_000);
});
