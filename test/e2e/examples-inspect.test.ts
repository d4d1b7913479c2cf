import { existsSync } from "node:fs";
import http from "node:http";
import { Testing, TerraformStack } from "cdktf";
import type Docker from "dockerode";
import {
  CacheStack,
  RelaxedLegacyStack,
  ScheduledJobStack,
  WebServiceStack,
  WorkerStack,
  defaultExpiry,
} from "../../examples";
import { CisFinding, cisFindings, stringList, waivedRules } from "./support/cis-inspect";
import { docker, pollUntil, processesOf, sweepSuite, testLabels } from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { E2EImages, buildE2EImages, removeE2EImages } from "./support/images";
import { TerraformDeployer } from "../support/terraform-deploy";

const SUITE = "examples-inspect";
const EXPIRES = defaultExpiry();
const MIB = 1024 * 1024;
/** Health checks in the examples run every 5 s after a 2 s start period. */
const HEALTHY_WITHIN_MS = 45_000;

interface ExampleCase {
  readonly stackName: string;
  readonly build: (images: E2EImages) => TerraformStack;
  /** The CIS rules the example deliberately relaxes (each through a reasoned relaxation). */
  readonly relaxes: readonly string[];
}

const EXAMPLES: readonly ExampleCase[] = [
  {
    stackName: "hd-e2e-web",
    build: (images) =>
      new WebServiceStack(Testing.app(), "hd-e2e-web", { image: images.web, expires: EXPIRES }),
    relaxes: [],
  },
  {
    stackName: "hd-e2e-worker",
    build: (images) =>
      new WorkerStack(Testing.app(), "hd-e2e-worker", { image: images.worker, expires: EXPIRES }),
    relaxes: [],
  },
  {
    stackName: "hd-e2e-legacy",
    build: (images) =>
      new RelaxedLegacyStack(Testing.app(), "hd-e2e-legacy", {
        image: images.web,
        expires: EXPIRES,
      }),
    relaxes: ["CIS-5.8"],
  },
  {
    stackName: "hd-e2e-job",
    build: (images) =>
      new ScheduledJobStack(Testing.app(), "hd-e2e-job", {
        image: images.worker,
        expires: EXPIRES,
        job: ["sh", "-c", "ls / > /tmp/listing"],
        intervalSeconds: 3,
      }),
    relaxes: [],
  },
  {
    stackName: "hd-e2e-cache",
    // The web image stands in for a cache server: what the template decides is the container
    // around it (internal network, no published port, tmpfs data directory).
    build: (images) =>
      new CacheStack(Testing.app(), "hd-e2e-cache", { image: images.web, expires: EXPIRES }),
    relaxes: [],
  },
];

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 5000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
}

describe("the CIS inspect reading (no engine needed)", () => {
  test("reads waived rules only from relaxation .rules labels", () => {
    const waived = waivedRules({
      "io.hardened-docker.relaxation.privilegedPorts": "the proxy only forwards to port 80",
      "io.hardened-docker.relaxation.privilegedPorts.rules": "CIS-5.8",
      "io.hardened-docker.relaxation.executableTmpfs.rules": "HD-TMPFS-OPTIONS",
      "io.hardened-docker.owner": "CIS-5.4",
    });
    expect([...waived].sort()).toEqual(["CIS-5.8", "HD-TMPFS-OPTIONS"]);
  });
});

const gate = engineGate("examples inspect", { registry: true, terraform: true });

engineDescribe("examples inspect", gate)(
  "example stacks deployed with terraform apply on the local engine: docker inspect agrees",
  () => {
    const deployed = new Map<string, Docker.ContainerInspectInfo>();
    let deployer: TerraformDeployer | undefined;
    const hostHasAppArmor = existsSync("/sys/kernel/security/apparmor");

    let images: E2EImages | undefined;

    beforeAll(async () => {
      await sweepSuite(SUITE);
      images = await buildE2EImages();
      const built = images;
      const terraform = new TerraformDeployer(SUITE);
      deployer = terraform;
      await Promise.all(
        EXAMPLES.map(async (example) => {
          const stack = await terraform.apply(example.build(built));
          const id = await stack.onlyId("docker_container");
          deployed.set(example.stackName, await docker().getContainer(id).inspect());
        }),
      );
    }, 240_000);

    afterAll(async () => {
      try {
        await deployer?.destroyAll();
      } finally {
        await sweepSuite(SUITE);
        await removeE2EImages();
      }
    }, 120_000);

    const infoOf = (stackName: string): Docker.ContainerInspectInfo => {
      const info = deployed.get(stackName);
      if (!info) throw new Error(`${stackName} was not deployed (see beforeAll)`);
      return info;
    };

    test.each(EXAMPLES.map((e) => [e.stackName, e]))(
      "%s: every CIS field is at its secure value, except the ones its relaxations waive",
      async (stackName, example) => {
        const info = infoOf(stackName);
        const processes = await processesOf(info.Id);
        const findings = cisFindings(info, processes, hostHasAppArmor);
        const waived = waivedRules(info.Config.Labels ?? {});
        // The relaxations on the container are exactly the ones the example declares.
        expect([...waived].filter((id) => id.startsWith("CIS-")).sort()).toEqual(
          [...example.relaxes].sort(),
        );
        const insecure = (list: CisFinding[]) => list.filter((x) => !x.secure);
        expect(insecure(findings.filter((x) => !waived.has(x.id)))).toEqual([]);
        // A waived rule is waived for a reason: the field really is at the relaxed value.
        for (const id of example.relaxes) {
          expect(insecure(findings.filter((x) => x.id === id)).map((x) => x.id)).toEqual([id]);
        }
      },
    );

    test.each(EXAMPLES.map((e) => [e.stackName]))(
      "%s: runs as 65534:65534 with every capability dropped, no-new-privileges, the inline seccomp profile, no swap, a noexec /tmp",
      (stackName) => {
        const { Config, HostConfig } = infoOf(stackName);
        expect(Config.User).toBe("65534:65534");
        expect(HostConfig.CapDrop).toEqual(["ALL"]);
        expect(stringList(HostConfig.CapAdd)).toEqual([]);
        expect(HostConfig.SecurityOpt).toContain("no-new-privileges:true");
        const seccomp = stringList(HostConfig.SecurityOpt).filter((o) => o.startsWith("seccomp="));
        expect(seccomp).toHaveLength(1);
        expect(JSON.parse(seccomp[0].slice("seccomp=".length))).toMatchObject({
          defaultAction: "SCMP_ACT_ERRNO",
        });
        expect(HostConfig.MemorySwap).toBe(HostConfig.Memory);
        expect(HostConfig.Tmpfs?.["/tmp"]).toMatch(
          /^(?=.*\bnoexec\b)(?=.*\bnosuid\b)(?=.*\bnodev\b)/,
        );
        expect(HostConfig.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 5 });
        expect(HostConfig.LogConfig).toEqual({
          Type: "json-file",
          Config: { "max-size": "10m", "max-file": "3" },
        });
      },
    );

    test("each example's resources are the ones its stack asks for", () => {
      const web = infoOf("hd-e2e-web").HostConfig;
      expect([web.Memory, web.CpuQuota, web.CpuPeriod, web.CpuShares, web.PidsLimit]).toEqual([
        256 * MIB,
        50_000,
        100_000,
        512,
        128,
      ]);
      const worker = infoOf("hd-e2e-worker").HostConfig;
      expect([worker.Memory, worker.CpuQuota, worker.PidsLimit]).toEqual([128 * MIB, 25_000, 64]);
      expect(worker.NetworkMode).toBe("none");
      const legacy = infoOf("hd-e2e-legacy").HostConfig;
      expect(legacy.PortBindings).toEqual({
        "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "80" }],
      });
      const job = infoOf("hd-e2e-job").HostConfig;
      expect([job.Memory, job.PidsLimit, job.NetworkMode]).toEqual([64 * MIB, 32, "none"]);
      // No published port: the engine reports null or {} depending on the network mode.
      expect(Object.keys(job.PortBindings ?? {})).toEqual([]);
      const cache = infoOf("hd-e2e-cache");
      expect([cache.HostConfig.Memory, cache.HostConfig.PidsLimit]).toEqual([384 * MIB, 64]);
      expect(Object.keys(cache.HostConfig.PortBindings ?? {})).toEqual([]);
      expect(Object.keys(cache.NetworkSettings.Networks)).toEqual(["hd-e2e-cache-net"]);
      expect(cache.HostConfig.Tmpfs?.["/data"]).toMatch(/\bnoexec\b/);
      // The relaxed tmpfs is executable; /tmp stays noexec.
      expect(legacy.Tmpfs?.["/var/cache/templates"]).not.toMatch(/\bnoexec\b/);
      expect(legacy.Tmpfs?.["/tmp"]).toMatch(/\bnoexec\b/);
    });

    test(
      "every health check reaches healthy",
      async () => {
        const statuses = await Promise.all(
          EXAMPLES.map(({ stackName }) =>
            pollUntil(
              `${stackName} to become healthy`,
              async () => {
                const info = await docker().getContainer(infoOf(stackName).Id).inspect();
                const status = (info.State as { Health?: { Status?: string } }).Health?.Status;
                if (status === "unhealthy") {
                  throw new Error(`${stackName} is unhealthy: ${JSON.stringify(info.State)}`);
                }
                return status === "healthy" ? [stackName, status] : undefined;
              },
              HEALTHY_WITHIN_MS,
              500,
            ),
          ),
        );
        expect(statuses).toEqual(EXAMPLES.map(({ stackName }) => [stackName, "healthy"]));
      },
      HEALTHY_WITHIN_MS + 10_000,
    );

    /** Runs `wget` against the cache from a throwaway container on `network`; its exit code. */
    async function fetchCacheFrom(network: string): Promise<number> {
      if (!images) throw new Error("the images were not built (see beforeAll)");
      const cacheName = infoOf("hd-e2e-cache").Name.replace(/^\//, "");
      const client = await docker().createContainer({
        Image: images.web,
        Cmd: ["timeout", "5", "wget", "-q", "-O", "/dev/null", `http://${cacheName}:8080/`],
        Labels: testLabels(SUITE),
        HostConfig: { NetworkMode: network },
      });
      try {
        await client.start();
        const { StatusCode } = (await client.wait()) as { StatusCode: number };
        return StatusCode;
      } finally {
        await client.remove({ force: true });
      }
    }

    test("the cache answers a client on its internal network only", async () => {
      const network = await docker().getNetwork("hd-e2e-cache-net").inspect();
      expect(network.Internal).toBe(true);
      expect(await fetchCacheFrom("hd-e2e-cache-net")).toBe(0);
      // The same client on Docker's default bridge cannot even resolve the cache's name.
      expect(await fetchCacheFrom("bridge")).not.toBe(0);
    }, 30_000);

    test("the web example answers on 127.0.0.1:18080 only", async () => {
      const response = await httpGet("http://127.0.0.1:18080/");
      expect(response.status).toBe(200);
      expect(response.body).toContain("hardened-docker end-to-end web image");
      expect(infoOf("hd-e2e-web").HostConfig.PortBindings).toEqual({
        "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "18080" }],
      });
    });
  },
);
