import Docker from "dockerode";
import { parseAttributes } from "../../lib/runtime/block-schemas";
import { DeploymentError, StackInputError } from "../../lib/runtime/errors";
import {
  toSecretCreateOptions,
  toServiceCreateOptions,
} from "../../lib/runtime/service-create-options";
import { planStack, swarmResources } from "../../lib/runtime/stack-plan";
import { requireSwarmManager } from "../../lib/runtime/swarm-calls";
import { secretAttributesSchema, serviceAttributesSchema } from "../../lib/runtime/swarm-schemas";
import { upStack } from "../../lib/runtime/up";
import { dbPassword, synthService } from "../support/swarm-synth";
import { Relax } from "../../lib";

const UP = { "io.hardened-docker.up.stack": "shop" };
const MIB = 1024 * 1024;

/** A HardenedService synth with a secret and a published port, references resolved by hand. */
function hardenedService(): Record<string, unknown> {
  const { service } = synthService((stack) => ({
    secrets: [{ secret: dbPassword(stack), fileName: "db-password" }],
    ports: [{ internal: 8080, external: 18080 }],
    relaxations: [
      Relax.publishOnAllInterfaces("the web tier is reached through the node port in this test"),
    ],
  }));
  // planStack drops meta-arguments such as lifecycle before the attributes are parsed.
  const attributes = Object.fromEntries(Object.entries(service).filter(([k]) => k !== "lifecycle"));
  return JSON.parse(
    JSON.stringify(attributes)
      .replace("${docker_secret.db-password.id}", "secret-id-1")
      .replace("${docker_secret.db-password.name}", "db-password")
      .replace(/\$\{docker_network\.[^}]+\.id\}/, "network-id-1"),
  ) as Record<string, unknown>;
}

describe("toServiceCreateOptions", () => {
  const body = toServiceCreateOptions(
    parseAttributes("docker_service.api", serviceAttributesSchema, hardenedService()),
    UP,
  );
  const spec = body.TaskTemplate.ContainerSpec;

  it("maps the hardened container settings to ContainerSpec", () => {
    expect(spec).toMatchObject({
      User: "65534:65534",
      ReadOnly: true,
      CapabilityDrop: ["ALL"],
      Sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024" },
      Isolation: "default",
      Mounts: [
        {
          Type: "tmpfs",
          Target: "/tmp",
          Source: "",
          ReadOnly: false,
        },
      ],
    });
    expect(spec.CapabilityAdd).toBeUndefined();
  });

  it("converts health check durations to nanoseconds", () => {
    expect(spec.Healthcheck).toEqual({
      Test: ["CMD", "/bin/healthcheck"],
      Interval: 30e9,
      Timeout: 5e9,
      StartPeriod: 10e9,
      Retries: 3,
    });
  });

  it("mounts secrets by ID as files with owner and mode", () => {
    expect(spec.Secrets).toEqual([
      {
        SecretID: "secret-id-1",
        SecretName: "db-password",
        File: { Name: "db-password", UID: "65534", GID: "65534", Mode: 0o400 },
      },
    ]);
  });

  it("maps resources, restart policy, networks, log driver and mode", () => {
    expect(body.TaskTemplate.Resources).toEqual({
      Limits: { MemoryBytes: 256 * MIB, NanoCPUs: 500_000_000 },
      Reservations: { MemoryBytes: 256 * MIB, NanoCPUs: 500_000_000 },
    });
    expect(body.TaskTemplate.RestartPolicy).toEqual({
      Condition: "on-failure",
      Delay: 5e9,
      MaxAttempts: 5,
      Window: 60e9,
    });
    expect(body.TaskTemplate.Networks).toEqual([{ Target: "network-id-1" }]);
    expect(body.TaskTemplate.LogDriver).toEqual({
      Name: "json-file",
      Options: { "max-file": "3", "max-size": "10m" },
    });
    expect(body.Mode).toEqual({ Replicated: { Replicas: 1 } });
  });

  it("maps update and rollback config and host-mode ports", () => {
    expect(body.UpdateConfig).toEqual({
      Parallelism: 1,
      Delay: 10e9,
      FailureAction: "rollback",
      Monitor: 30e9,
      MaxFailureRatio: 0,
      Order: "stop-first",
    });
    expect(body.RollbackConfig).toMatchObject({ Delay: 0, FailureAction: "pause" });
    expect(body.EndpointSpec).toEqual({
      Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" }],
    });
  });

  it("puts the service labels and the up labels on the service, the container labels on ContainerSpec", () => {
    expect(body.Name).toBe("stack-api");
    expect(body.Labels).toMatchObject({ "io.hardened-docker.owner": "payments-team", ...UP });
    expect(spec.Labels?.["io.hardened-docker.owner"]).toBe("payments-team");
    expect(spec.Labels?.["io.hardened-docker.up.stack"]).toBeUndefined();
  });

  it("applies the provider's defaults: secret file 0444 root, ingress ports, sorted env", () => {
    const minimal = toServiceCreateOptions(
      parseAttributes("docker_service.s", serviceAttributesSchema, {
        name: "s",
        task_spec: {
          container_spec: {
            image: "img@sha256:" + "a".repeat(64),
            env: { B: "2", A: "1" },
            secrets: [{ secret_id: "sid", file_name: "f" }],
          },
        },
        endpoint_spec: { ports: [{ target_port: 80 }] },
        update_config: {},
      }),
    );
    expect(minimal.TaskTemplate.ContainerSpec.Env).toEqual(["A=1", "B=2"]);
    expect(minimal.TaskTemplate.ContainerSpec.Secrets?.[0].File).toEqual({
      Name: "f",
      UID: "0",
      GID: "0",
      Mode: 0o444,
    });
    expect(minimal.EndpointSpec.Ports).toEqual([
      { Protocol: "tcp", TargetPort: 80, PublishMode: "ingress" },
    ]);
    expect(minimal.UpdateConfig).toEqual({
      Parallelism: 1,
      Delay: 0,
      FailureAction: "pause",
      Monitor: 5e9,
      MaxFailureRatio: 0,
      Order: "stop-first",
    });
    expect(minimal.Mode).toEqual({ Replicated: { Replicas: 1 } });
  });
});

describe("toSecretCreateOptions", () => {
  it("sends the decoded data base64-encoded, with labels and up labels", () => {
    const attrs = parseAttributes("docker_secret.s", secretAttributesSchema, {
      name: "db-password",
      data: Buffer.from("s3cret").toString("base64"),
      labels: [{ label: "team", value: "payments" }],
    });
    expect(toSecretCreateOptions(attrs, UP)).toEqual({
      Name: "db-password",
      Labels: { team: "payments", ...UP },
      Data: "czNjcmV0",
    });
  });

  it("refuses data that is not standard base64", () => {
    expect(() =>
      parseAttributes("docker_secret.s", secretAttributesSchema, {
        name: "s",
        data: "not base64!",
      }),
    ).toThrow(/docker_secret\.s: attribute data = "not base64!": data must be standard base64/);
  });
});

describe("refusal of what the harness does not implement", () => {
  const base = () => hardenedService();

  it.each([
    ["auth", { auth: { server_address: "r" } }],
    ["converge_config", { converge_config: { delay: "7s" } }],
  ])("refuses the service attribute %s by name", (name, extra) => {
    expect(() =>
      parseAttributes("docker_service.api", serviceAttributesSchema, { ...base(), ...extra }),
    ).toThrow(new RegExp(`docker_service\\.api: unsupported attribute\\(s\\) ${name}`));
  });

  it("refuses container_spec.privileges and task_spec.placement by name", () => {
    const attrs = base();
    const task = attrs.task_spec as Record<string, unknown>;
    (task.container_spec as Record<string, unknown>).privileges = { se_linux_context: {} };
    task.placement = { constraints: ["node.role==manager"] };
    expect(() => parseAttributes("docker_service.api", serviceAttributesSchema, attrs)).toThrow(
      /unsupported attribute\(s\) privileges.*unsupported attribute\(s\) placement|unsupported attribute\(s\) placement.*unsupported attribute\(s\) privileges/,
    );
  });

  it("refuses docker_config as an unsupported resource and plans secrets before services", () => {
    const stack = (extra: Record<string, unknown>) => ({
      "//": { metadata: { stackName: "s" } },
      resource: {
        docker_secret: { pw: { name: "pw", data: "czNjcmV0" } },
        docker_service: {
          api: {
            name: "api",
            task_spec: {
              container_spec: {
                image: "img@sha256:" + "a".repeat(64),
                secrets: [{ secret_id: "${docker_secret.pw.id}", file_name: "pw" }],
              },
              networks_advanced: [{ name: "${docker_network.back.name}" }],
            },
          },
        },
        docker_network: { back: { name: "back", driver: "overlay", internal: true } },
        ...extra,
      },
    });
    const plan = planStack(stack({}));
    expect(plan.resources.map((r) => r.address)).toEqual([
      "docker_network.back",
      "docker_secret.pw",
      "docker_service.api",
    ]);
    expect(swarmResources(plan)).toEqual([
      "docker_network.back",
      "docker_secret.pw",
      "docker_service.api",
    ]);
    expect(() => planStack(stack({ docker_config: { c: { name: "c", data: "eA==" } } }))).toThrow(
      StackInputError,
    );
    expect(() => planStack(stack({ docker_config: { c: { name: "c", data: "eA==" } } }))).toThrow(
      /does not support docker_config\.c/,
    );
  });
});

describe("swarm mode", () => {
  const engine = (Swarm: unknown) => ({ info: async () => ({ Swarm }) }) as unknown as Docker;

  it("refuses with one line naming the resources and `docker swarm init` when not in swarm mode", async () => {
    const refusal = requireSwarmManager(engine({ LocalNodeState: "inactive" }), [
      "docker_service.api",
    ]);
    await expect(refusal).rejects.toBeInstanceOf(DeploymentError);
    await expect(refusal).rejects.toThrow(
      /^docker_service\.api need Docker Swarm, .*not in swarm mode \(state inactive\).*run `docker swarm init`/,
    );
    await expect(refusal).rejects.not.toThrow(/\n/);
  });

  it("refuses a worker node and accepts an active manager", async () => {
    await expect(
      requireSwarmManager(engine({ LocalNodeState: "active", ControlAvailable: false }), ["x"]),
    ).rejects.toThrow(/worker node/);
    await expect(
      requireSwarmManager(engine({ LocalNodeState: "active", ControlAvailable: true }), ["x"]),
    ).resolves.toBeUndefined();
  });

  it("upStack refuses a Swarm stack before creating anything on an engine not in swarm mode", async () => {
    const calls: string[] = [];
    const docker = new Proxy(
      {},
      {
        get: (_target, name: string) => async () => {
          calls.push(name);
          if (name === "info") return { Swarm: { LocalNodeState: "inactive" } };
          return [];
        },
      },
    ) as unknown as Docker;
    const json = {
      "//": { metadata: { stackName: "s" } },
      resource: { docker_secret: { pw: { name: "pw", data: "czNjcmV0" } } },
    };
    await expect(upStack(json, { docker })).rejects.toThrow(/docker swarm init/);
    expect(calls).toEqual(["info"]);
  });
});
