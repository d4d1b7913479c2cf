import { daemonModelOf, endpointOf } from "../../../lib/host/read-daemon";
import { DaemonModel } from "../../../lib/policy/daemon-model";
import { DAEMON_RULES, evaluateDaemons } from "../../../lib/policy/daemon-pack";
import { releaseSupport, RELEASE_TABLE_DATE } from "../../../lib/policy/docker-releases";
import { HARDENED_INFO } from "../../host/support/hardened-info";

/**
 * The daemon rules on /info answers: the hardened daemon's passes everything, and each unsafe
 * setting fails its rule (and only its rule).
 */

const NOW = new Date("2026-12-07T12:00:00Z");
const UNIX = endpointOf("unix:///var/run/docker.sock");

function model(
  info: object,
  extra: Partial<Parameters<typeof daemonModelOf>[1]> = {},
): DaemonModel {
  return daemonModelOf(info, { name: "e1", endpoint: UNIX, ...extra });
}

function statuses(m: DaemonModel): Record<string, string> {
  return Object.fromEntries(evaluateDaemons([m], { now: NOW }).map((f) => [f.ruleId, f.status]));
}

function failing(m: DaemonModel): string[] {
  return evaluateDaemons([m], { now: NOW })
    .filter((f) => f.status === "fail")
    .map((f) => f.ruleId);
}

describe("daemon rules", () => {
  it("pass on a hardened daemon's /info (none fails, swarm rules not applicable)", () => {
    expect(failing(model(HARDENED_INFO))).toEqual([]);
    expect(statuses(model(HARDENED_INFO))["CIS-7.5"]).toBe("not-applicable");
  });

  it.each([
    ["CIS-2.9", { SecurityOptions: ["name=seccomp,profile=default", "name=cgroupns"] }],
    ["CIS-2.15", { LiveRestoreEnabled: false }],
    [
      "CIS-2.17",
      { SecurityOptions: ["name=seccomp,profile=unconfined", "name=userns", "name=cgroupns"] },
    ],
    ["CIS-2.18", { ExperimentalBuild: true }],
    ["HD-DAEMON-CGROUP", { SecurityOptions: ["name=seccomp,profile=default", "name=userns"] }],
    ["HD-DAEMON-RUNTIME", { DefaultRuntime: "nvidia" }],
    ["HD-DAEMON-RUNTIME", { Runtimes: { runc: { path: "/opt/wrapper/runc-shim" } } }],
    ["HD-DAEMON-LOG-ROTATION", { LoggingDriver: "none" }],
    ["CIS-1.2.2", { ServerVersion: "20.10.24+dfsg1" }],
    [
      "CIS-2.5",
      {
        RegistryConfig: {
          ...HARDENED_INFO.RegistryConfig,
          InsecureRegistryCIDRs: ["127.0.0.0/8", "10.0.0.0/8"],
        },
      },
    ],
    [
      "HD-DAEMON-REGISTRY-MIRRORS",
      {
        RegistryConfig: {
          ...HARDENED_INFO.RegistryConfig,
          Mirrors: ["http://mirror.internal:5000/"],
        },
      },
    ],
  ])("%s fails on %j, and no other rule does", (ruleId, change) => {
    expect(failing(model({ ...HARDENED_INFO, ...change }))).toEqual([ruleId]);
  });

  it("CIS-2.5 names the insecure registries beyond loopback, including index configs marked insecure", () => {
    const m = model({
      ...HARDENED_INFO,
      RegistryConfig: {
        InsecureRegistryCIDRs: ["127.0.0.0/8"],
        IndexConfigs: {
          "registry.lan:5000": { Secure: false },
          "localhost:5000": { Secure: false },
        },
        Mirrors: [],
      },
    });
    const f = evaluateDaemons([m], { now: NOW }).find((x) => x.ruleId === "CIS-2.5");
    expect(f?.status).toBe("fail");
    expect(f?.message).toBe('insecure registries beyond loopback: "registry.lan:5000"');
  });

  it("CIS-2.7 fails a tcp:// endpoint without TLS and passes one with verified TLS or ssh://", () => {
    const plain = model(HARDENED_INFO, { endpoint: endpointOf("tcp://10.0.0.5:2375") });
    expect(failing(plain)).toEqual(["CIS-2.7"]);
    const noVerify = model(HARDENED_INFO, {
      endpoint: endpointOf("tcp://10.0.0.5:2376", { tls: true, verify: false }),
    });
    expect(failing(noVerify)).toEqual(["CIS-2.7"]);
    const tls = model(HARDENED_INFO, {
      endpoint: endpointOf("tcp://10.0.0.5:2376", { tls: true, verify: true }),
    });
    expect(statuses(tls)["CIS-2.7"]).toBe("pass");
    expect(
      statuses(model(HARDENED_INFO, { endpoint: endpointOf("ssh://ops@host") }))["CIS-2.7"],
    ).toBe("pass");
  });

  it("every rule is unknown, never pass, when /info gave nothing", () => {
    const s = statuses(
      model({}, { endpoint: endpointOf("tcp://10.0.0.5:2376", { tls: true, verify: true }) }),
    );
    for (const rule of DAEMON_RULES) {
      if (["CIS-2.7", "CIS-7.5", "CIS-7.7"].includes(rule.id)) continue;
      expect([rule.id, s[rule.id]]).toEqual([rule.id, "unknown"]);
    }
  });

  it("judges json-file rotation from the log options the daemon merged into its containers", () => {
    const info = { ...HARDENED_INFO, LoggingDriver: "json-file" };
    const rotation = (logConfigs: { resource: string; logConfig: unknown }[]) =>
      statuses(model(info, { logConfigs }))["HD-DAEMON-LOG-ROTATION"];
    expect(rotation([])).toBe("unknown");
    expect(
      rotation([
        {
          resource: "container:/a",
          logConfig: { Type: "json-file", Config: { "max-size": "10m" } },
        },
      ]),
    ).toBe("pass");
    expect(
      rotation([
        {
          resource: "container:/a",
          logConfig: { Type: "json-file", Config: { "max-size": "10m" } },
        },
        { resource: "container:/b", logConfig: { Type: "json-file", Config: {} } },
      ]),
    ).toBe("fail");
    // A container on another driver says nothing of the default's options.
    expect(
      rotation([{ resource: "container:/c", logConfig: { Type: "syslog", Config: {} } }]),
    ).toBe("unknown");
  });

  describe("engine version support (the dated release table)", () => {
    it("places versions on their branch", () => {
      expect(releaseSupport("29.1.3", NOW)).toEqual({ kind: "supported", branch: "29.0" });
      expect(releaseSupport("26.1.4", NOW)).toEqual({
        kind: "end-of-life",
        branch: "26.1",
        endOfLife: "2024-08-01",
      });
      expect(releaseSupport("20.10.24+dfsg1", NOW)).toEqual({
        kind: "end-of-life",
        branch: "20.10",
        endOfLife: "2023-12-10",
      });
      expect(releaseSupport("18.09.1", NOW).kind).toBe("end-of-life");
      expect(releaseSupport("35.0.0", NOW).kind).toBe("unlisted");
      expect(releaseSupport("dev", NOW).kind).toBe("unlisted");
    });

    it("shows the table's date, and turns unknown once the table is over a year old", () => {
      const old = evaluateDaemons([model({ ...HARDENED_INFO, ServerVersion: "20.10.24" })], {
        now: NOW,
      });
      expect(old.find((f) => f.ruleId === "CIS-1.2.2")?.message).toContain(
        `release table dated ${RELEASE_TABLE_DATE}`,
      );
      const later = new Date(Date.parse(`${RELEASE_TABLE_DATE}T00:00:00Z`) + 400 * 86_400_000);
      const stale = evaluateDaemons([model(HARDENED_INFO)], { now: later });
      expect(stale.find((f) => f.ruleId === "CIS-1.2.2")?.status).toBe("unknown");
    });
  });

  describe("Swarm managers", () => {
    const manager = {
      ...HARDENED_INFO,
      Swarm: { LocalNodeState: "active", ControlAvailable: true },
    };
    const swarm = (autolock: boolean, expiryDays: number, trustRoot: string) => ({
      Spec: {
        EncryptionConfig: { AutoLockManagers: autolock },
        CAConfig: { NodeCertExpiry: expiryDays * 86_400 * 1e9 },
      },
      TLSInfo: { TrustRoot: trustRoot },
    });

    it("fails autolock off, long node certificates and an unreadable root CA; passes the safe settings", () => {
      const ca = selfSignedPem();
      expect(statuses(model(manager, { swarm: swarm(true, 90, ca) }))).toMatchObject({
        "CIS-7.5": "pass",
        "CIS-7.7": "pass",
      });
      expect(statuses(model(manager, { swarm: swarm(false, 365, ca) }))).toMatchObject({
        "CIS-7.5": "fail",
        "CIS-7.7": "fail",
      });
      expect(
        statuses(model(manager, { swarm: swarm(true, 90, "not a certificate") }))["CIS-7.7"],
      ).toBe("fail");
    });
  });
});

/** A swarm root CA as /swarm answers it (this machine's, 2026-12-07; valid until 2046-12-02). */
function selfSignedPem(): string {
  return [
    "-----BEGIN CERTIFICATE-----",
    "MIIBajCCARCgAwIBAgIUZIrBhnUQta6VeeLNvLWZoEs/N2owCgYIKoZIzj0EAwIw",
    "EzERMA8GA1UEAxMIc3dhcm0tY2EwHhcNMjYxMjA3MjEwMTAwWhcNNDYxMjAyMjEw",
    "MTAwWjATMREwDwYDVQQDEwhzd2FybS1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH",
    "A0IABCTGz1DuA1OxYBEgUAKx5Q5A4myYdIRJZ7BQHBnv9g1oGqj6m+pVrI8n4aHI",
    "bLVb9tnIASHY8IS1WtEgXe4RmTCjQjBAMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMB",
    "Af8EBTADAQH/MB0GA1UdDgQWBBSBGLq4hLb9KHpM/ay4AD5fHNsrwzAKBggqhkjO",
    "PQQDAgNIADBFAiEA/6FYxeFSBx+OBzURUO9sVF8Sd0B9AnPqdGy8UzqxgTwCIAkD",
    "y2rEcx1w79KQO8F+xjUxYz6yvAYOn7WkGNuP1+10",
    "-----END CERTIFICATE-----",
  ].join("\n");
}
