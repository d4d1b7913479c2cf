import { auditHost, HostAuditOptionsError } from "../../lib/host/host-audit";
import { EngineUnavailableError } from "../../lib/host/engine-errors";
import { evaluate } from "../../lib/policy/engine";
import { blockingFindings, Finding } from "../../lib/policy/findings";
import { DEFAULT_RULES } from "../../lib/policy/pack";
import { modelsOf, fixture, NOW } from "../policy/rules/support/policy-harness";
import { FakeEngine, socketError } from "./support/fake-engine";

const ADDRESS = "unix:///fake.sock";
const RELAXED_LABELS = {
  "io.hardened-docker.owner": "payments-team",
  "io.hardened-docker.purpose": "public REST API",
  "io.hardened-docker.expires": "2026-06-30",
  "io.hardened-docker.relaxation.writableRootFilesystem":
    "the legacy app writes its pid file next to its binary",
  "io.hardened-docker.relaxation.writableRootFilesystem.rules": "CIS-5.13",
};

function finding(findings: readonly Finding[], resource: string, ruleId: string): Finding {
  const found = findings.find((f) => f.resource === resource && f.ruleId === ruleId);
  if (!found) throw new Error(`no ${ruleId} finding for ${resource}`);
  return found;
}

describe("auditHost", () => {
  it("applies every rule of the pack to every container, as container:/<name>", async () => {
    const engine = new FakeEngine([{ name: "api" }, { name: "worker" }]);
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(result.listed).toBe(2);
    expect(result.evaluated).toBe(2);
    for (const resource of ["container:/api", "container:/worker"]) {
      const ids = result.findings.filter((f) => f.resource === resource).map((f) => f.ruleId);
      expect(ids).toEqual(DEFAULT_RULES.map((r) => r.id));
    }
    expect(engine.calls.inspect).toBe(2);
  });

  it("gives the compliant container the same verdicts as its synthesized configuration", async () => {
    // compliantInspect() is the live twin of compliant.tf.json (test/policy/adapters/equivalence).
    const engine = new FakeEngine([{ name: "api" }]);
    const live = await auditHost(engine, { address: ADDRESS, now: NOW });
    const synth = evaluate(modelsOf(fixture("compliant.tf.json")), { context: { now: NOW } });
    const statuses = (findings: readonly Finding[]) =>
      Object.fromEntries(
        findings.filter((f) => !f.resource.startsWith("engine:")).map((f) => [f.ruleId, f.status]),
      );
    const { "CIS-5.7": liveSshd, ...liveRest } = statuses(live.findings);
    const { "CIS-5.7": synthSshd, ...synthRest } = statuses(synth);
    // CIS 5.7 needs a running container's processes: only the live audit can decide it.
    expect([synthSshd, liveSshd]).toEqual(["not-applicable", "pass"]);
    // The engine says the host has neither AppArmor nor SELinux; both stay not applicable.
    expect(liveRest).toEqual(synthRest);
  });

  it("finds sshd through the process list (CIS 5.7)", async () => {
    const engine = new FakeEngine([
      { name: "ssh", processes: ["/bin/sh /usr/sbin/sshd -D"] },
      { name: "plain", processes: ["sleep 3600"] },
    ]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(finding(findings, "container:/ssh", "CIS-5.7").status).toBe("fail");
    expect(finding(findings, "container:/plain", "CIS-5.7").status).toBe("pass");
  });

  it("skips process lists with processes: false (CIS 5.7 not applicable, no top calls)", async () => {
    const engine = new FakeEngine([{ name: "ssh", processes: ["/usr/sbin/sshd -D"] }]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW, processes: false });
    expect(engine.calls.top).toBe(0);
    expect(finding(findings, "container:/ssh", "CIS-5.7").status).toBe("not-applicable");
  });

  it("honours a relaxation label with its reason as a suppression, as audit --synth does", async () => {
    const engine = new FakeEngine([
      {
        name: "legacy",
        labels: RELAXED_LABELS,
        inspect: { HostConfig: { ReadonlyRootfs: false } },
      },
    ]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW });
    const readOnly = finding(findings, "container:/legacy", "CIS-5.13");
    expect(readOnly.status).toBe("suppressed");
    expect(readOnly.suppression).toEqual({
      reason: "the legacy app writes its pid file next to its binary",
      source: "label",
      scope: "io.hardened-docker.relaxation.writableRootFilesystem",
    });
    expect(blockingFindings(findings)).toEqual([]);
  });

  it("does not let a hand-written label waive a rule no relaxation can (privileged)", async () => {
    const engine = new FakeEngine([
      {
        name: "sneaky",
        labels: {
          "io.hardened-docker.relaxation.addCapabilities": "we really need all of it, trust us",
          "io.hardened-docker.relaxation.addCapabilities.rules": "CIS-5.5,CIS-5.4",
        },
        inspect: { HostConfig: { Privileged: true, CapAdd: ["SYS_ADMIN"] } },
      },
    ]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(finding(findings, "container:/sneaky", "CIS-5.5").status).toBe("fail");
    // The label names no capability, so it waives none: SYS_ADMIN is not covered.
    expect(finding(findings, "container:/sneaky", "CIS-5.4").status).toBe("fail");
  });

  it("lets a hand-written label waive only the capabilities it names, and says by which label", async () => {
    const labels = {
      "io.hardened-docker.relaxation.addCapabilities": "the VPN sidecar must configure routes",
      "io.hardened-docker.relaxation.addCapabilities.rules": "CIS-5.4",
      "io.hardened-docker.relaxation.addCapabilities.detail": "NET_ADMIN",
    };
    const engine = new FakeEngine([
      { name: "vpn", labels, inspect: { HostConfig: { CapAdd: ["NET_ADMIN"] } } },
      { name: "wider", labels, inspect: { HostConfig: { CapAdd: ["NET_ADMIN", "SYS_ADMIN"] } } },
    ]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(finding(findings, "container:/vpn", "CIS-5.4")).toMatchObject({
      status: "suppressed",
      suppression: {
        source: "label",
        scope: "io.hardened-docker.relaxation.addCapabilities",
        covers: { kind: "capability", values: ["NET_ADMIN"] },
      },
    });
    const wider = finding(findings, "container:/wider", "CIS-5.4");
    expect(wider.status).toBe("fail");
    expect(wider.message).toContain('not covered: capability "SYS_ADMIN"');
  });

  it("lists a container removed between list and inspect as an HD-INPUT finding", async () => {
    const engine = new FakeEngine([{ name: "a" }, { name: "gone", removedBeforeInspect: true }]);
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(result.listed).toBe(2);
    expect(result.evaluated).toBe(1);
    const gone = result.findings.filter((f) => f.resource === "container:/gone");
    expect(gone).toEqual([
      expect.objectContaining({ ruleId: "HD-INPUT", status: "unknown", level: "info" }),
    ]);
    expect(gone[0].message).toMatch(/^not checked: removed between the container list/);
  });

  it("reports garbage labels as findings, never a crash", async () => {
    const engine = new FakeEngine([
      {
        name: "garbage",
        labels: {
          "io.hardened-docker.owner": "x".repeat(200_000),
          "io.hardened-docker.purpose": "\u001b[2J\u0007",
          "io.hardened-docker.expires": "2026-02-30",
          "io.hardened-docker.relaxation.runAsRoot.rules": "CIS-4.1",
        },
      },
    ]);
    const { findings } = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(finding(findings, "container:/garbage", "HD-EXPIRES")).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/not a date written YYYY-MM-DD/),
    });
    // A relaxation without its reason suppresses nothing.
    expect(finding(findings, "container:/garbage", "CIS-4.1").status).toBe("pass");
  });

  it("resolves with engineLost and HD-INPUT findings when the engine goes away part-way", async () => {
    const containers = Array.from({ length: 40 }, (_, i) => ({ name: `c${i}` }));
    const engine = new FakeEngine(containers, { goneAfterCalls: 20 });
    const result = await auditHost(engine, { address: ADDRESS, now: NOW, concurrency: 3 });
    expect(result.engineLost).toBeInstanceOf(EngineUnavailableError);
    const resources = new Set(
      result.findings.map((f) => f.resource).filter((r) => r.startsWith("container:")),
    );
    expect(resources.size).toBe(40);
    const notRead = result.findings.filter((f) => f.ruleId === "HD-INPUT");
    expect(notRead.length).toBe(40 - result.evaluated);
    expect(notRead[0]).toMatchObject({ status: "unknown", level: "warning" });
  });

  it("throws a one-line EngineUnavailableError when the engine does not answer at all", async () => {
    const engine = new FakeEngine([], { pingError: socketError("EACCES") });
    await expect(auditHost(engine, { address: "unix:///x.sock" })).rejects.toThrow(
      "cannot reach the Docker Engine at unix:///x.sock: permission denied on the socket",
    );
  });

  it("passes filters and --all to the list call, and reads AppArmor from /info", async () => {
    const engine = new FakeEngine([{ name: "a" }], {
      info: { SecurityOptions: ["name=apparmor", "name=seccomp,profile=default"] },
    });
    const { findings } = await auditHost(engine, {
      address: ADDRESS,
      now: NOW,
      all: true,
      filters: { label: ["team=x"] },
    });
    expect(engine.lastListOptions).toEqual({ all: true, filters: { label: ["team=x"] } });
    // The fixture's AppArmorProfile is "": on an AppArmor host that is a failure.
    expect(finding(findings, "container:/a", "CIS-5.2").status).toBe("fail");
  });

  it("refuses a concurrency outside 1..64", async () => {
    const engine = new FakeEngine([]);
    await expect(auditHost(engine, { address: ADDRESS, concurrency: 0 })).rejects.toThrow(
      HostAuditOptionsError,
    );
    await expect(auditHost(engine, { address: ADDRESS, concurrency: 65 })).rejects.toThrow(
      /at most 64/,
    );
  });
});
