import { randomBytes } from "node:crypto";
import { auditHost } from "../../lib/host/host-audit";
import { connectEngine } from "../../lib/host/engine-client";
import { Finding } from "../../lib/policy/findings";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { docker } from "./support/engine";
import { ensureSwarm, leaveSwarm } from "./support/swarm";

/**
 * `audit --host` on a real engine in swarm mode: a service's spec is judged by the container
 * pack and user-defined networks by the network rules. Everything this suite creates carries a
 * unique label (the audit is filtered on it) and is removed afterwards; it leaves the swarm only
 * if it initialised it.
 */

const RUN = `hd-cov-${randomBytes(4).toString("hex")}`;
const LABEL = { "io.hardened-docker.test-run": RUN };
const FILTERS = { label: [`io.hardened-docker.test-run=${RUN}`] };

const gate = engineGate("host audit of services and networks");

engineDescribe("host audit of services and networks", gate)(
  "auditHost on a single-node swarm",
  () => {
    let initialisedSwarm = false;
    let hadGatewayBridge = true;
    const networkIds: string[] = [];
    let serviceId = "";
    let findings: Finding[] = [];
    let counts = { services: 0, networks: 0 };

    beforeAll(async () => {
      hadGatewayBridge = (
        await docker().listNetworks({ filters: { name: ["docker_gwbridge"] } })
      ).some((n) => n.Name === "docker_gwbridge");
      initialisedSwarm = await ensureSwarm();
      const create = async (name: string, driver: string, options: Record<string, string>) => {
        const network = await docker().createNetwork({
          Name: `${RUN}-${name}`,
          Driver: driver,
          Options: options,
          Labels: LABEL,
          ...(driver === "overlay" ? { Attachable: false } : {}),
        });
        networkIds.push(network.id);
      };
      await create("plain", "overlay", {});
      await create("sealed", "overlay", { encrypted: "" });
      await create("flat", "bridge", {});
      await create("closed", "bridge", { "com.docker.network.bridge.enable_icc": "false" });
      // The spec is what is judged: the image need not exist (its tasks stay pending).
      const service = (await docker().createService({
        Name: `${RUN}-api`,
        Labels: LABEL,
        TaskTemplate: {
          ContainerSpec: {
            Image: "127.0.0.1:5000/hd-cov-absent/app:1",
            Mounts: [{ Type: "bind", Source: "/var/run", Target: "/host-run", ReadOnly: true }],
            Env: ["DB_PASSWORD=hunter2"],
          },
          Networks: [{ Target: `${RUN}-plain` }],
        },
        Mode: { Replicated: { Replicas: 0 } },
      })) as { id?: string; ID?: string };
      serviceId = service.id ?? service.ID ?? "";
      const result = await auditHost(connectEngine(), {
        address: "unix:///var/run/docker.sock",
        filters: FILTERS,
        processes: false,
      });
      findings = result.findings;
      counts = { services: result.services, networks: result.networks };
    }, 120_000);

    afterAll(async () => {
      if (serviceId !== "") {
        await docker()
          .getService(serviceId)
          .remove()
          .catch(() => undefined);
      }
      for (const id of networkIds) {
        await docker()
          .getNetwork(id)
          .remove()
          .catch(() => undefined);
      }
      if (initialisedSwarm) await leaveSwarm(hadGatewayBridge);
    }, 60_000);

    const status = (resource: string, ruleId: string) =>
      findings.find((f) => f.resource === resource && f.ruleId === ruleId)?.status;

    test("the service's spec is audited with the container pack", () => {
      expect(counts.services).toBe(1);
      expect(status(`service:${RUN}-api`, "CIS-5.32")).toBe("fail");
      expect(status(`service:${RUN}-api`, "HD-SECRET-ENV")).toBe("fail");
      expect(status(`service:${RUN}-api`, "CIS-5.5")).toBe("pass");
    });

    test("the networks are judged: unencrypted overlay and ICC bridge fail", () => {
      expect(counts.networks).toBe(4);
      expect(status(`network:${RUN}-plain`, "HD-OVERLAY-ENCRYPTED")).toBe("fail");
      expect(status(`network:${RUN}-sealed`, "HD-OVERLAY-ENCRYPTED")).toBe("pass");
      expect(status(`network:${RUN}-flat`, "HD-BRIDGE-ICC")).toBe("fail");
      expect(status(`network:${RUN}-closed`, "HD-BRIDGE-ICC")).toBe("pass");
    });
  },
);
