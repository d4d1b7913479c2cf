import { HardenedNetwork, HardenedService, Relax } from "../../lib";
import { PINNED_IMAGE, validationErrorOf } from "../support/hardened-synth";
import {
  dbPassword,
  dockerStack,
  labelMap,
  networkProps,
  serviceProps,
  synthService,
  synthesized,
} from "../support/swarm-synth";

type Json = Record<string, unknown>;
const REASON = "the public load balancer reaches the node on every interface";

describe("HardenedService defaults on docker_service", () => {
  const { service, json } = synthService();
  const task = service.task_spec as Json;
  const spec = task.container_spec as Json;

  test("drops every capability and adds none", () => {
    expect(spec.cap_drop).toEqual(["ALL"]);
    expect(spec.cap_add).toBeUndefined();
  });

  test("runs read-only as nobody", () => {
    expect(spec.read_only).toBe(true);
    expect(spec.user).toBe("65534:65534");
  });

  // kreuzwerker/docker 3.6.2 panics on tmpfs_options.size_bytes in a docker_service
  // (resource_docker_service_structures.go:841: value.(int64) on a TypeInt), seen on the real
  // provider: "panic: interface conversion: interface {} is int, not int64". The memory limit
  // bounds the tmpfs instead (its pages are charged to the task's memory cgroup).
  test("has a writable /tmp tmpfs with no size option, which crashes the pinned provider", () => {
    expect(spec.mounts).toEqual([{ type: "tmpfs", target: "/tmp" }]);
  });

  test("refuses a tmpfs size at synth, naming the field, the provider's source line and the fix", () => {
    const top = validationErrorOf(() => synthService(() => ({ tmpSizeMiB: 32 })));
    const extra = validationErrorOf(() =>
      synthService(() => ({ tmpfs: [{ path: "/cache", sizeMiB: 16 }] })),
    );
    expect(top.problems.map((p) => [p.field, p.value])).toEqual([["tmpSizeMiB", 32]]);
    expect(extra.problems.map((p) => [p.field, p.value])).toEqual([["tmpfs.0.sizeMiB", 16]]);
    for (const problem of [...top.problems, ...extra.problems]) {
      expect(problem.message).toMatch(/resource_docker_service_structures\.go:841/);
      expect(problem.message).toMatch(/resources\.memoryMiB/);
    }
  });

  test("an extra tmpfs path without a size is accepted", () => {
    const { service: withCache } = synthService(() => ({ tmpfs: [{ path: "/cache" }] }));
    expect(((withCache.task_spec as Json).container_spec as Json).mounts).toEqual([
      { type: "tmpfs", target: "/tmp" },
      { type: "tmpfs", target: "/cache" },
    ]);
  });

  test("limits and reserves memory and CPU", () => {
    expect(task.resources).toEqual({
      limits: { memory_bytes: 256 * 1024 * 1024, nano_cpus: 500_000_000 },
      reservation: { memory_bytes: 256 * 1024 * 1024, nano_cpus: 500_000_000 },
    });
  });

  // Durations and the failure ratio are spelled as kreuzwerker/docker 3.6.2 reads them back
  // (shortDur and FormatFloat(.., 'f', 1, 64) in resource_docker_service_structures.go); seen on the
  // real provider: `window = "1m" -> "60s"` and `max_failure_ratio = "0.0" -> "0"` on every plan.
  test("restarts on failure at most 5 times, within a one-minute window", () => {
    expect(task.restart_policy).toEqual({
      condition: "on-failure",
      max_attempts: 5,
      delay: "5s",
      window: "1m",
    });
  });

  test("has the health check with its default timings", () => {
    expect(spec.healthcheck).toEqual({
      test: ["CMD", "/bin/healthcheck"],
      interval: "30s",
      timeout: "5s",
      start_period: "10s",
      retries: 3,
    });
  });

  test("rolls out one task at a time and rolls back on failure", () => {
    expect(service.update_config).toEqual({
      parallelism: 1,
      delay: "10s",
      monitor: "30s",
      order: "stop-first",
      failure_action: "rollback",
      max_failure_ratio: "0.0",
    });
    expect(service.rollback_config).toMatchObject({ failure_action: "pause", parallelism: 1 });
  });

  test("rotates its logs", () => {
    expect(task.log_driver).toEqual({
      name: "json-file",
      options: { "max-size": "10m", "max-file": "3" },
    });
  });

  // kreuzwerker/docker 3.6.2 reads networks_advanced back as network IDs and the block is
  // ForceNew: with the name, every plan after the first deploy replaced the service (seen on the
  // real provider: name = "uwld2phbwqa84donl6tqk68uf" -> "hdd-swarm-back", forces replacement).
  test("joins its overlay network by ID reference, which the provider reads back unchanged", () => {
    const [networkId] = Object.keys((json.resource as Json).docker_network as Json);
    expect(task.networks_advanced).toEqual([{ name: `\${docker_network.${networkId}.id}` }]);
  });

  test("publishes nothing and runs one replica", () => {
    expect(service.endpoint_spec).toBeUndefined();
    expect(service.mode).toEqual({ replicated: { replicas: 1 } });
  });

  test("labels the service and its containers for audit", () => {
    for (const labels of [labelMap(service.labels), labelMap(spec.labels)]) {
      expect(labels).toMatchObject({
        "io.hardened-docker.owner": "payments-team",
        "io.hardened-docker.expires": "2026-06-30",
        "io.hardened-docker.construct-path": "stack/api",
      });
    }
  });

  test("writes the pinned image", () => {
    expect(spec.image).toBe(PINNED_IMAGE);
  });
});

describe("HardenedService secrets are files, never environment variables (CIS 7.4)", () => {
  test("a docker_secret is mounted under /run/secrets, readable by the service's user only", () => {
    const { service, json } = synthService((stack) => ({
      user: "10001:10002",
      secrets: [{ secret: dbPassword(stack), fileName: "db-password" }],
    }));
    const [secretId] = Object.keys((json.resource as Json).docker_secret as Json);
    const spec = (service.task_spec as Json).container_spec as Json;
    expect(spec.secrets).toEqual([
      {
        secret_id: `\${docker_secret.${secretId}.id}`,
        secret_name: `\${docker_secret.${secretId}.name}`,
        file_name: "db-password",
        file_uid: "10001",
        file_gid: "10002",
        file_mode: 0o400,
      },
    ]);
    expect(spec.env).toBeUndefined();
  });

  test("an environment variable that looks like a secret is refused, its value hidden", () => {
    const stack = dockerStack();
    const [problem] = validationErrorOf(
      () =>
        new HardenedService(
          stack,
          "api",
          serviceProps(stack, { env: { DB_PASSWORD: "hunter2", LOG_LEVEL: "info" } }),
        ),
    ).problems;
    expect(problem).toMatchObject({ field: "env.DB_PASSWORD", value: "(value hidden)" });
    expect(problem.message).toMatch(/CIS 7.4.*docker_secret/);
  });

  test.each([
    ["PGPASS", "x"],
    ["SMTP_PASS", "x"],
    ["SIGNING_KEY", "x"],
    ["DATABASE_URL", "postgres://app:hunter2@db/app"],
  ])("the widened pattern refuses %s (shared with HD-SECRET-ENV)", (name, value) => {
    const stack = dockerStack();
    const [problem] = validationErrorOf(
      () => new HardenedService(stack, "api", serviceProps(stack, { env: { [name]: value } })),
    ).problems;
    expect(problem).toMatchObject({ field: `env.${name}`, value: "(value hidden)" });
  });

  test("a secret file name with a slash is refused", () => {
    const stack = dockerStack();
    const [problem] = validationErrorOf(
      () =>
        new HardenedService(
          stack,
          "api",
          serviceProps(stack, { secrets: [{ secret: dbPassword(stack), fileName: "../etc/x" }] }),
        ),
    ).problems;
    expect(problem.field).toBe("secrets.0.fileName");
  });
});

describe("HardenedService ports: Swarm cannot bind one address", () => {
  test("publishing without Relax.publishOnAllInterfaces is refused, saying why", () => {
    const stack = dockerStack();
    const error = validationErrorOf(
      () =>
        new HardenedService(
          stack,
          "api",
          serviceProps(stack, { ports: [{ internal: 8080, external: 18080 }] }),
        ),
    );
    expect(error.problems[0].field).toBe("ports.0");
    expect(error.message).toMatch(/endpoint_spec.ports\) have no host address/);
    expect(error.message).toMatch(/Relax.publishOnAllInterfaces/);
  });

  test("with the relaxation, ports are published in host mode", () => {
    const { service } = synthService(() => ({
      ports: [{ internal: 8080, external: 18080 }],
      relaxations: [Relax.publishOnAllInterfaces(REASON)],
    }));
    expect(service.endpoint_spec).toEqual({
      ports: [{ target_port: 8080, published_port: 18080, protocol: "tcp", publish_mode: "host" }],
    });
    expect(
      labelMap(service.labels)["io.hardened-docker.relaxation.publishOnAllInterfaces.rules"],
    ).toBe("CIS-5.14");
  });

  test("a privileged published port needs Relax.privilegedPorts", () => {
    const stack = dockerStack();
    const problems = validationErrorOf(
      () =>
        new HardenedService(
          stack,
          "api",
          serviceProps(stack, {
            ports: [{ internal: 8080, external: 80 }],
            relaxations: [Relax.publishOnAllInterfaces(REASON)],
          }),
        ),
    ).problems;
    expect(problems.map((p) => p.field)).toEqual(["ports.0.external"]);
  });
});

describe("HardenedService validation", () => {
  test("networks are required: a task on no network lands on the default bridge", () => {
    const stack = dockerStack();
    const [problem] = validationErrorOf(
      () => new HardenedService(stack, "api", serviceProps(stack, { networks: [] })),
    ).problems;
    expect(problem.field).toBe("networks");
    expect(problem.message).toMatch(/CIS 5.30/);
  });

  test.each([["host"], ["HOST"], [" host "], ["Host"]])(
    "the host network (%p) is refused in the construct (CIS 5.10)",
    (name) => {
      const stack = dockerStack();
      const problems = validationErrorOf(
        () => new HardenedService(stack, "api", serviceProps(stack, { networks: [name] })),
      ).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        constructPath: "stack/api",
        field: "networks.0",
        value: name,
      });
      expect(problems[0]?.message).toMatch(/host's network stack \(CIS 5\.10\)/);
    },
  );

  test("a bridge network is refused: it exists on one host", () => {
    const stack = dockerStack();
    const bridge = HardenedNetwork.bridge(stack, "local", networkProps());
    const [problem] = validationErrorOf(
      () => new HardenedService(stack, "api", serviceProps(stack, { networks: [bridge] })),
    ).problems;
    expect(problem).toMatchObject({ field: "networks.0", value: "stack/local" });
  });

  test.each([
    [Relax.allowSyscalls(["ptrace"], REASON), /no seccomp profile to relax/],
    [Relax.executableTmpfs(["/tmp"], REASON), /tmpfs flags cannot be written/],
    [Relax.writableBindMount(["/data"], REASON), /no bind mounts/],
  ])("relaxation %p does not apply to a service", (relaxation, message) => {
    const stack = dockerStack();
    const problems = validationErrorOf(
      () => new HardenedService(stack, "api", serviceProps(stack, { relaxations: [relaxation] })),
    ).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("relaxations.0");
    expect(problems[0].message).toMatch(message);
  });

  test.each([
    ["a root user", { user: "0:0" }, "user", /runs as root/],
    ["a tag-only image", { image: "nginx:1.27" }, "image", /not pinned by digest/],
    ["no health check", { healthcheck: undefined }, "healthcheck", /CIS 5.27/],
    ["too many restarts", { maxRestarts: 9 }, "maxRestarts", /at most 5/],
    ["zero replicas", { replicas: 0 }, "replicas", /at least 1/],
    ["a raw attribute", { capAdd: ["SYS_ADMIN"] } as never, "(props)", /unknown field/],
    [
      "a tiny reservation",
      { resources: { memoryReservationMiB: 1 } },
      "resources.memoryReservationMiB",
      /at least 6/,
    ],
  ])("%s is refused with the field and the fix", (_what, overrides, field, message) => {
    const stack = dockerStack();
    const problems = validationErrorOf(
      () => new HardenedService(stack, "api", { ...serviceProps(stack), ...overrides }),
    ).problems;
    expect(problems[0]).toMatchObject({ constructPath: "stack/api", field });
    expect(problems[0].message).toMatch(message);
  });

  test("relaxations are written and suppress what they waive", () => {
    const { service } = synthService(() => ({
      relaxations: [Relax.addCapabilities(["NET_BIND_SERVICE"], REASON)],
    }));
    const spec = (service.task_spec as Json).container_spec as Json;
    expect(spec.cap_add).toEqual(["NET_BIND_SERVICE"]);
    expect(spec.cap_drop).toEqual(["ALL"]);
  });

  test("explicit resources and rolling updates are rendered", () => {
    const stack = dockerStack();
    new HardenedService(
      stack,
      "api",
      serviceProps(stack, {
        replicas: 3,
        resources: { memoryMiB: 512, cpus: 1, memoryReservationMiB: 128, cpusReservation: 0.25 },
        rollingUpdate: {
          parallelism: 2,
          delaySeconds: 5,
          monitorSeconds: 60,
          order: "start-first",
        },
      }),
    );
    const service = Object.values(synthesized(stack).of("docker_service"))[0] as Json;
    expect((service.task_spec as Json).resources).toEqual({
      limits: { memory_bytes: 512 * 1024 * 1024, nano_cpus: 1_000_000_000 },
      reservation: { memory_bytes: 128 * 1024 * 1024, nano_cpus: 250_000_000 },
    });
    expect(service.update_config).toMatchObject({
      parallelism: 2,
      delay: "5s",
      monitor: "1m",
      order: "start-first",
    });
    expect(service.mode).toEqual({ replicated: { replicas: 3 } });
  });
});
