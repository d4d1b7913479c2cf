import { Testing } from "cdktf";
import { HardenedService, Relax } from "../../../lib";
import { dbPassword, dockerStack, serviceProps } from "../../support/swarm-synth";
import { PINNED_IMAGE } from "../../support/hardened-synth";

/**
 * The same Swarm services twice: as synthesized Terraform JSON and as the `docker service
 * inspect` element the Engine (API 1.41) returns for them once deployed, written by hand from
 * the Engine API's Service schema. The overlay network's ID maps to its name.
 */

type Json = Record<string, unknown>;

export const NETWORK_ID = "q1w2e3r4t5y6u7i8o9p0asdfg";
export const NETWORK_NAMES = { [NETWORK_ID]: "stack-backend" };
const MIB = 1024 * 1024;
const SECOND = 1_000_000_000;

/** The audit labels HardenedService writes for "stack/api" (see swarm-synth AUDIT). */
const LABELS = {
  "io.hardened-docker.managed-by": "cdktf-hardened-docker",
  "io.hardened-docker.owner": "payments-team",
  "io.hardened-docker.purpose": "public REST API",
  "io.hardened-docker.expires": "2026-06-30",
  "io.hardened-docker.deployed-by": "ci-bot",
  "io.hardened-docker.construct-path": "stack/api",
  "io.hardened-docker.relaxation.publishOnAllInterfaces":
    "the public load balancer reaches the node on every interface",
  "io.hardened-docker.relaxation.publishOnAllInterfaces.rules": "CIS-5.14",
};

/** A HardenedService with a published port (relaxed) and a secret, synthesized. */
export function hardenedServiceStack(): Json {
  const stack = dockerStack();
  new HardenedService(
    stack,
    "api",
    serviceProps(stack, {
      ports: [{ internal: 8080, external: 18080 }],
      secrets: [{ secret: dbPassword(stack), fileName: "db-password" }],
      relaxations: [
        Relax.publishOnAllInterfaces(
          "the public load balancer reaches the node on every interface",
        ),
      ],
    }),
  );
  return JSON.parse(Testing.synth(stack)) as Json;
}

/** `docker service inspect stack-api` after deploying {@link hardenedServiceStack}. */
export function hardenedServiceInspect(): Json {
  return {
    ID: "7h2kq9x0b1c2d3e4f5g6h7i8j",
    Version: { Index: 42 },
    CreatedAt: "2026-03-15T12:00:00.000000000Z",
    Spec: {
      Name: "stack-api",
      Labels: LABELS,
      TaskTemplate: {
        ContainerSpec: {
          Image: PINNED_IMAGE,
          Labels: LABELS,
          User: "65534:65534",
          ReadOnly: true,
          Mounts: [{ Type: "tmpfs", Target: "/tmp" }],
          StopGracePeriod: 10 * SECOND,
          Healthcheck: {
            Test: ["CMD", "/bin/healthcheck"],
            Interval: 30 * SECOND,
            Timeout: 5 * SECOND,
            StartPeriod: 10 * SECOND,
            Retries: 3,
          },
          Secrets: [
            {
              File: { Name: "db-password", UID: "65534", GID: "65534", Mode: 256 },
              SecretID: "s3cr3t1d",
              SecretName: "db-password",
            },
          ],
          Sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024" },
          CapabilityDrop: ["ALL"],
          Isolation: "default",
        },
        Resources: {
          Limits: { NanoCPUs: 500_000_000, MemoryBytes: 256 * MIB },
          Reservations: { NanoCPUs: 500_000_000, MemoryBytes: 256 * MIB },
        },
        RestartPolicy: {
          Condition: "on-failure",
          Delay: 5 * SECOND,
          MaxAttempts: 5,
          Window: 60 * SECOND,
        },
        Placement: {},
        Networks: [{ Target: NETWORK_ID }],
        LogDriver: { Name: "json-file", Options: { "max-file": "3", "max-size": "10m" } },
        ForceUpdate: 0,
        Runtime: "container",
      },
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: {
        Parallelism: 1,
        Delay: 10 * SECOND,
        FailureAction: "rollback",
        Monitor: 30 * SECOND,
        MaxFailureRatio: 0,
        Order: "stop-first",
      },
      RollbackConfig: {
        Parallelism: 1,
        FailureAction: "pause",
        Monitor: 30 * SECOND,
        MaxFailureRatio: 0,
        Order: "stop-first",
      },
      EndpointSpec: {
        Mode: "vip",
        Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" }],
      },
    },
    Endpoint: {
      Spec: { Mode: "vip" },
      Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" }],
    },
  };
}

/** A raw docker_service with almost nothing set: root by name, Swarm's defaults, ingress port. */
export function rawServiceStack(): Json {
  return {
    terraform: {},
    resource: {
      docker_service: {
        raw: {
          name: "raw",
          task_spec: {
            container_spec: { image: "nginx:1.27", user: "root" },
          },
          endpoint_spec: { ports: [{ target_port: 80, published_port: 80 }] },
        },
      },
    },
  };
}

/** `docker service inspect raw` for {@link rawServiceStack}: what the Engine fills in. */
export function rawServiceInspect(): Json {
  return {
    ID: "r4wr4wr4wr4w",
    Spec: {
      Name: "raw",
      Labels: {},
      TaskTemplate: {
        ContainerSpec: { Image: "nginx:1.27", User: "root", Isolation: "default" },
        Resources: { Limits: {}, Reservations: {} },
        Placement: {},
        ForceUpdate: 0,
        Runtime: "container",
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: {
        Mode: "vip",
        Ports: [{ Protocol: "tcp", TargetPort: 80, PublishedPort: 80, PublishMode: "ingress" }],
      },
    },
  };
}
