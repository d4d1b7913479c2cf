import { auditHost } from "../../lib/host/host-audit";
import { modelFromNetworkInspect } from "../../lib/host/network-inspect";
import { networksFromTerraformJson } from "../../lib/synth/terraform-network";
import { evaluateNetworks } from "../../lib/policy/network-pack";
import { DEFAULT_RULES } from "../../lib/policy/pack";
import { NOW, fixture } from "../policy/rules/support/policy-harness";
import { FakeEngine, httpError } from "./support/fake-engine";

const ADDRESS = "unix:///fake.sock";

const SERVICE = {
  ID: "svc1234567890",
  Spec: {
    Name: "payments-api",
    TaskTemplate: {
      ContainerSpec: {
        Image: "registry.example.com/payments/api:1",
        Privileges: { Seccomp: { Mode: "unconfined" } },
        Mounts: [{ Type: "bind", Source: "/var/run", Target: "/host-run" }],
      },
      Networks: [{ Target: "net-overlay-id" }],
    },
  },
};

const NETWORKS = [
  { Id: "net-bridge-default", Name: "bridge", Driver: "bridge", Options: {} },
  { Id: "net-overlay-id", Name: "back", Driver: "overlay", Options: {}, Scope: "swarm" },
  { Id: "net-secure-id", Name: "secure", Driver: "overlay", Options: { encrypted: "" } },
  { Id: "net-flat-id", Name: "flat", Driver: "bridge", Options: {} },
  {
    Id: "net-closed-id",
    Name: "closed",
    Driver: "bridge",
    Options: { "com.docker.network.bridge.enable_icc": "false" },
  },
];

class SwarmEngine extends FakeEngine {
  serviceFilters: unknown;
  constructor(private readonly servicesAnswer: () => unknown[]) {
    super([{ name: "api" }]);
  }
  async listServices(options: { filters?: Record<string, string[]> }): Promise<unknown[]> {
    this.serviceFilters = options.filters;
    return this.servicesAnswer();
  }
  async listNetworks(): Promise<unknown[]> {
    return NETWORKS;
  }
}

function statusOf(findings: readonly { resource: string; ruleId: string; status: string }[]) {
  return (resource: string, ruleId: string) =>
    findings.find((f) => f.resource === resource && f.ruleId === ruleId)?.status;
}

describe("audit --host audits Swarm services and networks", () => {
  it("applies the container pack to each service's spec, as service:<name>", async () => {
    const engine = new SwarmEngine(() => [SERVICE]);
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(result.services).toBe(1);
    const ids = result.findings
      .filter((f) => f.resource === "service:payments-api")
      .map((f) => f.ruleId);
    expect(ids).toEqual(DEFAULT_RULES.map((r) => r.id));
    const status = statusOf(result.findings);
    expect(status("service:payments-api", "CIS-5.22")).toBe("fail");
    expect(status("service:payments-api", "CIS-5.32")).toBe("fail");
    expect(status("service:payments-api", "CIS-5.30")).toBe("pass");
  });

  it("judges user-defined networks: unencrypted overlays fail, ICC bridges warn", async () => {
    const result = await auditHost(new SwarmEngine(() => []), { address: ADDRESS, now: NOW });
    expect(result.networks).toBe(4);
    const status = statusOf(result.findings);
    expect(status("network:back", "HD-OVERLAY-ENCRYPTED")).toBe("fail");
    expect(status("network:secure", "HD-OVERLAY-ENCRYPTED")).toBe("pass");
    expect(status("network:flat", "HD-BRIDGE-ICC")).toBe("fail");
    expect(status("network:closed", "HD-BRIDGE-ICC")).toBe("pass");
    expect(status("network:back", "HD-BRIDGE-ICC")).toBe("not-applicable");
    expect(result.findings.some((f) => f.resource === "network:bridge")).toBe(false);
  });

  it("--level applies to network rules as to container rules", async () => {
    const result = await auditHost(new SwarmEngine(() => []), {
      address: ADDRESS,
      now: NOW,
      levels: { "HD-BRIDGE-ICC": "error", "CIS-5.5": "warning" },
    });
    const icc = result.findings.find(
      (f) => f.resource === "network:flat" && f.ruleId === "HD-BRIDGE-ICC",
    );
    expect(icc?.level).toBe("error");
    const privileged = result.findings.find(
      (f) => f.resource === "container:/api" && f.ruleId === "CIS-5.5",
    );
    expect(privileged?.level).toBe("warning");
  });

  it("a node that is not a swarm manager has no services, and says nothing about it", async () => {
    const engine = new SwarmEngine(() => {
      throw httpError(503, 'This node is not a swarm manager. Use "docker swarm init"');
    });
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(result.services).toBe(0);
    expect(result.findings.filter((f) => f.ruleId === "HD-INPUT")).toEqual([]);
  });

  it("any other failure to list services is an HD-INPUT finding, never 'no services'", async () => {
    const engine = new SwarmEngine(() => {
      throw httpError(500, "raft: leader lost");
    });
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    const input = result.findings.filter((f) => f.ruleId === "HD-INPUT");
    expect(input).toHaveLength(1);
    expect(input[0].message).toMatch(/services not listed: .*leader lost/);
  });

  it("passes the container filters to the services list", async () => {
    const engine = new SwarmEngine(() => []);
    await auditHost(engine, { address: ADDRESS, now: NOW, filters: { label: ["team=payments"] } });
    expect(engine.serviceFilters).toEqual({ label: ["team=payments"] });
  });

  it("servicesAndNetworks: false audits containers only", async () => {
    const result = await auditHost(new SwarmEngine(() => [SERVICE]), {
      address: ADDRESS,
      now: NOW,
      servicesAndNetworks: false,
    });
    expect([result.services, result.networks]).toEqual([0, 0]);
  });
});

describe("audit --host reads named volumes' driver options", () => {
  class VolumeEngine extends FakeEngine {
    async listVolumes(): Promise<unknown> {
      return {
        Volumes: [
          { Name: "sock", Driver: "local", Options: { type: "none", o: "bind", device: "/run" } },
        ],
      };
    }
  }

  it("a live volume binding /run fails CIS-5.32", async () => {
    const engine = new VolumeEngine([
      {
        name: "api",
        inspect: {
          Mounts: [
            {
              Type: "volume",
              Name: "sock",
              Source: "/var/lib/docker/volumes/sock/_data",
              Destination: "/s",
              RW: false,
            },
          ],
        },
      },
    ]);
    const result = await auditHost(engine, { address: ADDRESS, now: NOW });
    expect(statusOf(result.findings)("container:/api", "CIS-5.32")).toBe("fail");
  });
});

describe("docker_network resources of raw Terraform JSON", () => {
  function stackWith(networks: Record<string, unknown>): Record<string, unknown> {
    const stack = fixture("compliant.tf.json");
    (stack.resource as Record<string, unknown>).docker_network = networks;
    return stack;
  }

  it("an overlay without the encrypted option fails; with it, passes", () => {
    const models = networksFromTerraformJson(
      stackWith({
        plain: { name: "plain", driver: "overlay" },
        sealed: { name: "sealed", driver: "overlay", options: { encrypted: "true" } },
      }),
    );
    const findings = evaluateNetworks(models);
    const status = statusOf(findings);
    expect(status("docker_network.plain", "HD-OVERLAY-ENCRYPTED")).toBe("fail");
    expect(status("docker_network.sealed", "HD-OVERLAY-ENCRYPTED")).toBe("pass");
  });

  it("a bridge (the default driver) without enable_icc=false fails HD-BRIDGE-ICC", () => {
    const findings = evaluateNetworks(
      networksFromTerraformJson(stackWith({ app: { name: "app" } })),
    );
    expect(statusOf(findings)("docker_network.app", "HD-BRIDGE-ICC")).toBe("fail");
  });

  it("options from a variable are unknown", () => {
    const findings = evaluateNetworks(
      networksFromTerraformJson(
        stackWith({ o: { name: "o", driver: "overlay", options: "${var.o}" } }),
      ),
    );
    expect(statusOf(findings)("docker_network.o", "HD-OVERLAY-ENCRYPTED")).toBe("unknown");
  });

  it("a live network without a driver is unknown, not a pass", () => {
    const [finding] = evaluateNetworks([modelFromNetworkInspect({ Name: "x", Options: {} })]);
    expect(finding.status).toBe("unknown");
  });
});
