import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Testing } from "cdktf";
import { SwarmTwoTierStack, defaultExpiry } from "../../examples";
import { evaluate } from "../../lib/policy/engine";
import { modelFromServiceSpec } from "../../lib/host/service-spec";
import { modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import {
  docker,
  execIn,
  pollUntil,
  removeContainer,
  sweepSuite,
  testLabels,
} from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { buildE2EImages, removeE2EImages } from "./support/images";
import { RunningTask, currentTask, ensureSwarm, leaveSwarm } from "./support/swarm";
import { StackDeployment, TerraformDeployer } from "../support/terraform-deploy";

/**
 * The two-tier Swarm example deployed with terraform apply on a single-node swarm: both services reach
 * running, healthy tasks; the back end has no route out; the secret is a 0400 file and not in
 * the environment; the live service spec carries the hardened settings and the policy engine
 * gives it the same verdicts as the synthesized JSON.
 */

const SUITE = "swarm-two-tier";
const STACK = "hd-e2e-swarm";
const WEB_PORT = 18091;
const MIB = 1024 * 1024;
/** Health checks run every 5 s after a 2 s start period; Swarm reports running once healthy. */
const HEALTHY_WITHIN_MS = 60_000;

/**
 * The host's address on Docker's default bridge, as the engine tells a container attached to it
 * (`NetworkSettings.Networks.bridge.Gateway`). Not the network's IPAM config: Docker leaves its
 * `Gateway` empty when docker0 already existed as dockerd started (seen after an engine restart:
 * 7 failures). Not os.networkInterfaces(): it omits docker0 while no container is attached.
 */
async function bridgeGatewayOf(containerId: string): Promise<string> {
  const info = await docker().getContainer(containerId).inspect();
  const gateway = info.NetworkSettings.Networks?.bridge?.Gateway;
  if (!gateway) throw new Error("a container on the default bridge was given no gateway address");
  return gateway;
}

const gate = engineGate("swarm two-tier", { registry: true, terraform: true });

engineDescribe("swarm two-tier", gate)(
  "SwarmTwoTierStack on a single-node swarm, deployed with terraform apply",
  () => {
    const secretValue = `pw-${randomBytes(8).toString("hex")}`;
    let initialisedSwarm = false;
    let hadGatewayBridge = true;
    let json: unknown;
    let deployer: TerraformDeployer | undefined;
    let deployed: StackDeployment | undefined;
    /** Name -> ID of what the apply created, from Terraform's state. */
    const created = {
      services: new Map<string, string>(),
      networks: new Map<string, string>(),
      secrets: new Map<string, string>(),
    };
    const tasks = new Map<string, RunningTask>();
    let outside: http.Server | undefined;
    let outsideUrl = "";
    let controlId = "";
    const startedAt = Date.now();

    const serviceId = (suffix: "web" | "api"): string => {
      const id = created.services.get(`${STACK}-${suffix}`);
      if (!id) throw new Error(`service ${STACK}-${suffix} was not deployed (see beforeAll)`);
      return id;
    };
    const taskOf = (suffix: "web" | "api"): RunningTask => {
      const t = tasks.get(suffix);
      if (!t) throw new Error(`service ${STACK}-${suffix} has no running task (see beforeAll)`);
      return t;
    };

    beforeAll(async () => {
      hadGatewayBridge = (
        await docker().listNetworks({ filters: { name: ["docker_gwbridge"] } })
      ).some((n) => n.Name === "docker_gwbridge");
      initialisedSwarm = await ensureSwarm();
      await sweepSuite(SUITE);
      const images = await buildE2EImages();
      const upStart = Date.now();
      deployer = new TerraformDeployer(SUITE);
      deployed = await deployer.apply(
        new SwarmTwoTierStack(Testing.app(), STACK, {
          webImage: images.web,
          // The back end is an HTTP API too: the same busybox httpd image, on the internal overlay.
          apiImage: images.web,
          dbPassword: secretValue,
          webPort: WEB_PORT,
          expires: defaultExpiry(),
        }),
      );
      json = deployed.json;
      created.services = await deployed.ids("docker_service");
      created.networks = await deployed.ids("docker_network");
      created.secrets = await deployed.ids("docker_secret");
      for (const suffix of ["web", "api"] as const) {
        const id = serviceId(suffix);
        const task = await pollUntil(
          `a running, healthy task of ${STACK}-${suffix}`,
          async () => {
            const t = await currentTask(id);
            return t && t.state === "running" && t.health === "healthy" ? t : undefined;
          },
          HEALTHY_WITHIN_MS,
          500,
        );
        tasks.set(suffix, task);
      }
      process.stderr.write(
        `[e2e] ${STACK}: both services running with healthy tasks ${Date.now() - upStart} ms after terraform apply started\n`,
      );

      // The control: the same image on Docker's normal bridge network.
      const control = await docker().createContainer({
        Image: images.web,
        Cmd: ["sleep", "300"],
        Labels: testLabels(SUITE),
        HostConfig: { NetworkMode: "bridge" },
      });
      controlId = control.id;
      await control.start();
      // Something "outside" the back end: an HTTP server on the host, bound to the docker0
      // gateway address only (reachable from containers on a bridge, not from elsewhere).
      const gateway = await bridgeGatewayOf(controlId);
      outside = http.createServer((_req, res) => res.end("outside\n"));
      await new Promise<void>((resolve) => outside?.listen(0, gateway, resolve));
      outsideUrl = `http://${gateway}:${(outside.address() as AddressInfo).port}/`;
    }, 150_000);

    afterAll(async () => {
      try {
        await deployer?.destroyAll();
      } finally {
        if (controlId) await removeContainer(controlId);
        outside?.close();
        await sweepSuite(SUITE);
        await removeE2EImages();
        if (initialisedSwarm) await leaveSwarm(hadGatewayBridge);
        process.stderr.write(`[e2e] ${SUITE} took ${Date.now() - startedAt} ms in all\n`);
      }
    }, 120_000);

    test("terraform apply created the secret, both overlays and both services", () => {
      const names = (byName: Map<string, string>) => [...byName.keys()].sort();
      expect(names(created.secrets)).toEqual([`${STACK}-db-password`]);
      expect(names(created.networks)).toEqual([`${STACK}-back`, `${STACK}-front`]);
      expect(names(created.services)).toEqual([`${STACK}-api`, `${STACK}-web`]);
    });

    test("the overlays are encrypted, and the back end's is internal", async () => {
      const back = await docker().getNetwork(`${STACK}-back`).inspect();
      const front = await docker().getNetwork(`${STACK}-front`).inspect();
      expect(back).toMatchObject({ Driver: "overlay", Internal: true, Scope: "swarm" });
      expect(back.Options).toMatchObject({ encrypted: "true" });
      expect(front).toMatchObject({ Driver: "overlay", Internal: false });
      expect(front.Options).toMatchObject({ encrypted: "true" });
    });

    test("the web tier serves on its published node port and reaches the back end", async () => {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${WEB_PORT}/`, { timeout: 5000 }, (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString("utf8")));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(body.length).toBeGreaterThan(0);
      // Through `tasks.<service>` (DNS round-robin to the task IPs), not the service VIP: the
      // VIP needs IPVS, and these hosts have no ip_vs module (no /proc/net/ip_vs). Seen on
      // Engine 20.10.24 here: `wget http://<service>:8080/` gets "No route to host" from the VIP
      // on both overlays, while `tasks.<service>` connects.
      const web = taskOf("web");
      const toApi = await execIn(
        web.containerId,
        ["timeout", "5", "wget", "-q", "-O", "-", `http://tasks.${STACK}-api:8080/`],
        { timeoutMs: 15_000 },
      );
      expect(toApi).toMatchObject({ exitCode: 0 });
      expect(toApi.output).toContain("hd-e2e web");
    });

    test("the back end cannot reach the outside, which a container on a normal bridge can", async () => {
      const fetch = ["timeout", "5", "wget", "-q", "-O", "-", outsideUrl];
      const fromControl = await execIn(controlId, fetch, { timeoutMs: 15_000 });
      expect(fromControl).toMatchObject({ exitCode: 0, output: "outside\n" });
      const api = taskOf("api");
      const fromApi = await execIn(api.containerId, fetch, { timeoutMs: 15_000 });
      expect(fromApi.exitCode).not.toBe(0);
      expect(fromApi.output).not.toContain("outside");
      // No default route at all: destination 00000000 never appears in the routing table.
      const routes = await execIn(api.containerId, ["cat", "/proc/net/route"]);
      expect(routes.output.split("\n").slice(1).join("\n")).not.toMatch(/^\S+\s+00000000\s/m);
    });

    test("the secret is a 0400 file of the service user and is not in the environment", async () => {
      const api = taskOf("api");
      const file = `/run/secrets/db-password`;
      expect(await execIn(api.containerId, ["cat", file])).toEqual({
        exitCode: 0,
        output: secretValue,
      });
      const stat = await execIn(api.containerId, ["stat", "-c", "%a %u %g", file]);
      expect(stat.output.trim()).toBe("400 65534 65534");
      const environ = await execIn(api.containerId, ["cat", "/proc/1/environ"]);
      expect(environ.exitCode).toBe(0);
      expect(environ.output).not.toContain(secretValue);
      const info = await docker().getContainer(api.containerId).inspect();
      expect(JSON.stringify(info.Config.Env ?? [])).not.toContain(secretValue);
      const service = await docker().getService(serviceId("api")).inspect();
      expect(JSON.stringify(service)).not.toContain(secretValue);
    });

    test("docker service inspect keeps the hardened settings, and the task container enforces them", async () => {
      const { ApiVersion } = (await docker().version()) as { ApiVersion: string };
      for (const suffix of ["web", "api"] as const) {
        const inspect = (await docker().getService(serviceId(suffix)).inspect()) as {
          Spec: {
            TaskTemplate: Record<string, unknown> & { ContainerSpec: Record<string, unknown> };
          };
        };
        const task = inspect.Spec.TaskTemplate;
        const spec = task.ContainerSpec;
        // CapabilityAdd/CapabilityDrop on services arrived with API 1.41 (Engine 20.10).
        expect(Number(ApiVersion)).toBeGreaterThanOrEqual(1.41);
        expect(spec.CapabilityDrop).toEqual(["ALL"]);
        expect(spec.ReadOnly).toBe(true);
        expect(spec.User).toBe("65534:65534");
        expect(spec.Healthcheck).toMatchObject({
          Test: ["CMD", "/bin/healthcheck"],
          Interval: 5e9,
          StartPeriod: 2e9,
        });
        expect(task.Resources).toEqual({
          Limits: { MemoryBytes: 64 * MIB, NanoCPUs: 250_000_000 },
          Reservations: { MemoryBytes: 64 * MIB, NanoCPUs: 250_000_000 },
        });
        expect(task.RestartPolicy).toMatchObject({ Condition: "on-failure", MaxAttempts: 5 });
        // What the engine does with it: the task's container.
        const container = await docker().getContainer(taskOf(suffix).containerId).inspect();
        expect(container.HostConfig.ReadonlyRootfs).toBe(true);
        expect(container.HostConfig.CapDrop).toEqual(["ALL"]);
        expect(container.HostConfig.Memory).toBe(64 * MIB);
        expect(container.HostConfig.NanoCpus).toBe(250_000_000);
        expect(container.Config.User).toBe("65534:65534");
        const status = await execIn(container.Id, ["cat", "/proc/1/status"]);
        expect(status.output).toMatch(/^CapEff:\s+0000000000000000$/m);
        expect(status.output).toMatch(/^Uid:\s+65534\s/m);
      }
    });

    test("the policy engine gives the live service specs the same verdicts as the synthesized JSON", async () => {
      const now = new Date();
      const networks = await docker().listNetworks({ filters: { name: [STACK] } });
      const networkNames = Object.fromEntries(networks.map((n) => [n.Id, n.Name]));
      const synthModels = modelsFromTerraformJson(json).models.filter((m) => m.kind === "service");
      expect(synthModels).toHaveLength(2);
      for (const suffix of ["web", "api"] as const) {
        const inspect: unknown = await docker().getService(serviceId(suffix)).inspect();
        const live = evaluate([modelFromServiceSpec(inspect, { networkNames })], {
          context: { now },
        });
        const synthModel = synthModels.find((m) => m.name === `${STACK}-${suffix}`);
        if (!synthModel) throw new Error(`no synthesized model for ${STACK}-${suffix}`);
        const synth = evaluate([synthModel], { context: { now } });
        const verdicts = (findings: typeof live) =>
          Object.fromEntries(findings.map((f) => [f.ruleId, f.status]));
        expect(verdicts(live)).toEqual(verdicts(synth));
        expect(live.filter((f) => f.status === "fail")).toEqual([]);
      }
    });
  },
);
