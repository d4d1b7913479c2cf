import { engineDescribe, engineGate } from "../support/engine-gate";
import Docker from "dockerode";
import {
  DeploymentError,
  StackInputError,
  downStack,
  upStack,
  type DeployedStack,
} from "../../lib/runtime";
import {
  buildBusyboxImage,
  execIn,
  freePort,
  makeWorkDir,
  pushImage,
  removeImageQuietly,
  removeWorkDir,
  startRegistry,
  sweep,
  testLabels,
  type TestRegistry,
} from "./engine-support";

/**
 * `upStack` / `downStack` against the real Engine: a stack shaped like a HardenedContainer synth
 * (shared /tmp/shape.md), its image resolved tag -> digest against a throwaway registry and
 * pulled by digest, then `docker inspect` of what runs.
 */

jest.setTimeout(120_000);

const docker = new Docker();
const STACK = "hdrt-shape";
const LOCAL_IMAGE = "hd-runtime-test/busybox:1";
const SECCOMP = JSON.stringify({
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [{ names: ["keyctl"], action: "SCMP_ACT_ERRNO" }],
});
const STACK_LABEL = "io.hardened-docker.up.stack";
const TEST_LABELS = testLabels("runtime-up");

const SUITE = "upStack / downStack on the real Engine (test/runtime/up-down.engine.test.ts)";
const gate = engineGate(SUITE);
const describeEngine = engineDescribe(SUITE, gate);
let workDir = "";
let registry: TestRegistry | undefined;
let repository = "";
let pushedDigest = "";
let loopbackPort = 0;
let allInterfacesPort = 0;
let deployed: DeployedStack | undefined;
const logLines: string[] = [];

/** The stack: data.docker_registry_image -> docker_image -> containers, network, volume, PIDs step. */
function shapeStack(): Record<string, unknown> {
  return {
    "//": { metadata: { stackName: STACK, version: "0.21.0" } },
    terraform: {
      required_providers: { docker: { source: "kreuzwerker/docker", version: "3.6.2" } },
    },
    provider: { docker: [{}] },
    data: { docker_registry_image: { web_tag_ABCD: { name: `${repository}:1.0` } } },
    resource: {
      docker_image: {
        web_image_ABCD: {
          name: `${repository}@\${data.docker_registry_image.web_tag_ABCD.sha256_digest}`,
          pull_triggers: ["${data.docker_registry_image.web_tag_ABCD.sha256_digest}"],
          keep_locally: false,
        },
      },
      docker_network: {
        backend_ABCD: {
          name: "hdrt-backend",
          internal: true,
          options: { "com.docker.network.bridge.enable_icc": "false" },
          labels: [{ label: "io.hardened-docker.owner", value: "payments-team" }],
        },
      },
      docker_volume: { data_ABCD: { name: "hdrt-data" } },
      docker_container: {
        api_container_ABCD: {
          name: "hdrt-api",
          image: "${docker_image.web_image_ABCD.image_id}",
          command: ["sleep", "3600"],
          user: "65534:65534",
          privileged: false,
          capabilities: { drop: ["ALL"], add: [] },
          security_opts: ["no-new-privileges:true", `seccomp=${SECCOMP}`],
          read_only: true,
          tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
          memory: 256,
          memory_swap: 256,
          cpu_period: 100000,
          cpu_quota: 50000,
          cpu_shares: 512,
          ulimit: [
            { name: "nofile", soft: 1024, hard: 1024 },
            { name: "nproc", soft: 128, hard: 128 },
          ],
          restart: "on-failure",
          max_retry_count: 5,
          init: true,
          must_run: true,
          log_driver: "json-file",
          log_opts: { "max-size": "10m", "max-file": "3" },
          healthcheck: {
            test: ["CMD", "/bin/true"],
            interval: "30s",
            timeout: "5s",
            start_period: "10s",
            retries: 3,
          },
          ports: [
            { internal: 8080, external: loopbackPort, ip: "127.0.0.1", protocol: "tcp" },
            { internal: 8081, external: allInterfacesPort },
          ],
          labels: [
            { label: "io.hardened-docker.owner", value: "payments-team" },
            { label: "io.hardened-docker.pids-limit", value: "128" },
          ],
          "//": { metadata: { path: `${STACK}/api/container`, uniqueId: "api_container_ABCD" } },
        },
        worker_container_ABCD: {
          name: "hdrt-worker",
          image: "${docker_image.web_image_ABCD.image_id}",
          command: ["sleep", "3600"],
          init: true,
          read_only: true,
          networks_advanced: [{ name: "${docker_network.backend_ABCD.name}", aliases: ["worker"] }],
          volumes: [{ volume_name: "${docker_volume.data_ABCD.name}", container_path: "/data" }],
          healthcheck: { test: ["CMD", "/bin/true"], interval: "1s", retries: 3 },
          wait: true,
          wait_timeout: 30,
        },
      },
      terraform_data: {
        "api_pids-limit_ABCD": {
          input: { container_id: "${docker_container.api_container_ABCD.id}", pids_limit: 128 },
          triggers_replace: { container_id: "${docker_container.api_container_ABCD.id}" },
          provisioner: [
            {
              "local-exec": {
                command: "docker update --pids-limit 128 ${docker_container.api_container_ABCD.id}",
              },
            },
          ],
        },
      },
    },
  };
}

const options = () => ({
  docker,
  labels: { ...TEST_LABELS },
  log: (line: string) => logLines.push(line),
});

async function labelled(stack: string) {
  const filters = { label: [`${STACK_LABEL}=${stack}`] };
  return {
    containers: await docker.listContainers({ all: true, filters }),
    networks: await docker.listNetworks({ filters }),
    volumes: (await docker.listVolumes({ filters })).Volumes ?? [],
  };
}

async function inspectByName(name: string): Promise<Docker.ContainerInspectInfo> {
  return docker.getContainer(name).inspect();
}

beforeAll(async () => {
  if (!gate.run) return; // the tests are skipped (see engineDescribe)
  await sweep(docker, TEST_LABELS);
  workDir = await makeWorkDir();
  await buildBusyboxImage(LOCAL_IMAGE, workDir, TEST_LABELS);
  registry = await startRegistry(workDir);
  repository = `${registry.host}/hd-runtime/web`;
  pushedDigest = await pushImage(LOCAL_IMAGE, `${repository}:1.0`);
  // Untag the registry reference so that `docker_image` has to pull it by digest.
  await removeImageQuietly(`${repository}:1.0`);
  loopbackPort = await freePort();
  allInterfacesPort = await freePort();
  deployed = await upStack(shapeStack(), options());
});

afterAll(async () => {
  if (!gate.run) return;
  await downStack(shapeStack(), options()).catch(() => undefined);
  await sweep(docker, TEST_LABELS);
  await removeImageQuietly(`${repository}@${pushedDigest}`);
  await removeImageQuietly(LOCAL_IMAGE);
  await registry?.stop();
  if (workDir) await removeWorkDir(workDir);
});

describeEngine("upStack on the real Engine", () => {
  it("resolves the tag to the pushed digest and pulls the image by digest", async () => {
    expect(deployed?.registryDigests).toEqual([
      {
        resource: "data.docker_registry_image.web_tag_ABCD",
        name: `${repository}:1.0`,
        digest: pushedDigest,
      },
    ]);
    const image = deployed?.images[0];
    expect(image?.name).toBe(`${repository}@${pushedDigest}`);
    expect(image?.pulled).toBe(true);
    const inspected = await docker.getImage(`${repository}@${pushedDigest}`).inspect();
    expect(inspected.Id).toBe(image?.id);
    expect((await inspectByName("hdrt-api")).Image).toBe(image?.id);
  });

  it("creates the container with the provider's Engine values (docker inspect)", async () => {
    const c = await inspectByName("hdrt-api");
    const h = c.HostConfig as Docker.HostConfig & { CgroupnsMode?: string };
    expect(c.State.Running).toBe(true);
    expect(h.Memory).toBe(268435456);
    expect(h.MemorySwap).toBe(268435456);
    expect(h.CpuQuota).toBe(50000);
    expect(h.CpuPeriod).toBe(100000);
    expect(h.NanoCpus).toBe(0);
    expect(h.CpuShares).toBe(512);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.Privileged).toBe(false);
    expect(h.CapDrop).toEqual(["ALL"]);
    expect(h.SecurityOpt).toContain("no-new-privileges:true");
    expect(h.SecurityOpt).toContain(`seccomp=${SECCOMP}`);
    expect(h.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 5 });
    expect(h.Ulimits).toEqual([
      { Name: "nofile", Soft: 1024, Hard: 1024 },
      { Name: "nproc", Soft: 128, Hard: 128 },
    ]);
    expect(h.Init).toBe(true);
    expect(h.LogConfig).toEqual({
      Type: "json-file",
      Config: { "max-size": "10m", "max-file": "3" },
    });
    expect(h.Tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=64m" });
    expect(c.Config.User).toBe("65534:65534");
    expect(c.Config.Healthcheck).toEqual({
      Test: ["CMD", "/bin/true"],
      Interval: 30e9,
      Timeout: 5e9,
      StartPeriod: 10e9,
      Retries: 3,
    });
    expect(c.Config.Labels).toMatchObject({
      "io.hardened-docker.owner": "payments-team",
      [STACK_LABEL]: STACK,
      "io.hardened-docker.up.resource": "docker_container.api_container_ABCD",
      ...TEST_LABELS,
    });
  });

  it("applies the PIDs-limit step as an Engine update (PidsLimit 128, pids.max 128 in the cgroup)", async () => {
    const c = await inspectByName("hdrt-api");
    expect(c.HostConfig.PidsLimit).toBe(128);
    expect(deployed?.pidsLimits).toEqual([
      {
        resource: "terraform_data.api_pids-limit_ABCD",
        container: "docker_container.api_container_ABCD",
        limit: 128,
      },
    ]);
    const pidsMax = await execIn(docker, c.Id, ["cat", "/sys/fs/cgroup/pids/pids.max"]);
    expect(pidsMax.output.trim()).toBe("128");
  });

  it("binds an explicit ip to 127.0.0.1 and a port without ip to 0.0.0.0 (the provider's trap)", async () => {
    const c = await inspectByName("hdrt-api");
    expect(c.HostConfig.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(loopbackPort) }],
      "8081/tcp": [{ HostIp: "0.0.0.0", HostPort: String(allInterfacesPort) }],
    });
    const live = c.NetworkSettings.Ports as Record<string, { HostIp: string; HostPort: string }[]>;
    expect(live["8080/tcp"]).toEqual([{ HostIp: "127.0.0.1", HostPort: String(loopbackPort) }]);
    expect(live["8081/tcp"]).toContainEqual({
      HostIp: "0.0.0.0",
      HostPort: String(allInterfacesPort),
    });
  });

  it("runs the process under the inline seccomp profile with no-new-privileges", async () => {
    const status = await execIn(docker, "hdrt-api", ["cat", "/proc/1/status"]);
    expect(status.output).toMatch(/^Seccomp:\s+2$/m);
    expect(status.output).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  it("attaches networks_advanced with aliases instead of the default bridge, mounts the volume, waits for healthy", async () => {
    const w = await inspectByName("hdrt-worker");
    const networks = w.NetworkSettings.Networks;
    expect(Object.keys(networks)).toEqual(["hdrt-backend"]);
    expect(networks["hdrt-backend"].Aliases).toContain("worker");
    expect(w.HostConfig.Binds).toEqual(["hdrt-data:/data:rw"]);
    expect(w.Mounts).toContainEqual(
      expect.objectContaining({ Type: "volume", Name: "hdrt-data", Destination: "/data" }),
    );
    expect(w.State.Health?.Status).toBe("healthy");
    const network = await docker.getNetwork("hdrt-backend").inspect();
    expect(network.Internal).toBe(true);
    expect(network.Options).toEqual({ "com.docker.network.bridge.enable_icc": "false" });
    expect(network.Labels).toMatchObject({
      "io.hardened-docker.owner": "payments-team",
      [STACK_LABEL]: STACK,
    });
  });

  it("replaces the stack's containers and reuses its network and volume on a second up", async () => {
    const before = await inspectByName("hdrt-api");
    const networkBefore = await docker.getNetwork("hdrt-backend").inspect();
    const again = await upStack(shapeStack(), options());
    const after = await inspectByName("hdrt-api");
    expect(after.Id).not.toBe(before.Id);
    expect(after.HostConfig.PidsLimit).toBe(128);
    expect(again.networks[0].id).toBe(networkBefore.Id);
    deployed = again;
  });

  it("refuses a container name used by something up did not create, touching nothing", async () => {
    const stranger = await docker.createContainer({
      name: "hdrt-stranger",
      Image: LOCAL_IMAGE,
      Labels: { ...TEST_LABELS },
    });
    const stack = {
      "//": { metadata: { stackName: "hdrt-clash" } },
      resource: { docker_container: { c: { name: "hdrt-stranger", image: LOCAL_IMAGE } } },
    };
    await expect(upStack(stack, options())).rejects.toThrow(
      /a container named hdrt-stranger already exists and was not created by up for stack hdrt-clash/,
    );
    expect((await stranger.inspect()).Id).toBe(stranger.id);
    await stranger.remove({ force: true });
  });
});

describeEngine("refusals and failures on the real Engine", () => {
  it("refuses an unsupported resource before anything is created", async () => {
    const stack = shapeStack() as { resource: Record<string, unknown>; "//": unknown };
    stack["//"] = { metadata: { stackName: "hdrt-refused" } };
    stack.resource.docker_config = { cfg: { name: "cfg", data: "eA==" } };
    const attempt = upStack(stack, options());
    await expect(attempt).rejects.toBeInstanceOf(StackInputError);
    await expect(attempt).rejects.toThrow(/does not support docker_config\.cfg/);
    const left = await labelled("hdrt-refused");
    expect(left.containers).toHaveLength(0);
    expect(left.networks).toHaveLength(0);
    expect(left.volumes).toHaveLength(0);
  });

  it("fails must_run with the container's output and rolls back what it created", async () => {
    const stack = {
      "//": { metadata: { stackName: "hdrt-mustrun" } },
      resource: {
        docker_network: { n: { name: "hdrt-mustrun-net" } },
        docker_container: {
          c: {
            name: "hdrt-mustrun",
            image: LOCAL_IMAGE,
            command: ["sh", "-c", "echo boom-from-container; exit 3"],
            networks_advanced: [{ name: "${docker_network.n.name}" }],
          },
        },
      },
    };
    const attempt = upStack(stack, options());
    await expect(attempt).rejects.toBeInstanceOf(DeploymentError);
    await expect(attempt).rejects.toThrow(
      /docker_container\.c: container hdrt-mustrun is not running/,
    );
    await expect(upStack(stack, options())).rejects.toThrow(/exit code 3.*boom-from-container/);
    const left = await labelled("hdrt-mustrun");
    expect(left.containers).toHaveLength(0);
    expect(left.networks).toHaveLength(0);
  });
});

describeEngine("downStack on the real Engine", () => {
  it("removes every container, network and volume of the stack and the image up pulled", async () => {
    const removed = await downStack(shapeStack(), options());
    expect([...removed.containers].sort()).toEqual(["hdrt-api", "hdrt-worker"]);
    expect(removed.networks).toEqual(["hdrt-backend"]);
    expect(removed.volumes).toEqual(["hdrt-data"]);
    const left = await labelled(STACK);
    expect(left.containers).toHaveLength(0);
    expect(left.networks).toHaveLength(0);
    expect(left.volumes).toHaveLength(0);
    // keep_locally = false and pulled by up: gone; the locally built image stays.
    await expect(docker.getImage(`${repository}@${pushedDigest}`).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(docker.getImage(LOCAL_IMAGE).inspect()).resolves.toMatchObject({});
  });
});
