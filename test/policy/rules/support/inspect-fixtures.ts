import { DIGEST } from "./policy-harness";

/**
 * Hand-written `docker inspect` JSON (Engine API 1.41 ContainerInspect), built from the values the
 * Terraform provider sends for test/fixtures/terraform/compliant.tf.json (see
 * shared/reference/docker-provider-mapping.md) plus what the Engine 20.10 adds itself (IpcMode
 * "private", LogConfig type json-file, rprivate propagation for binds, null for empty lists).
 */

export type InspectJson = Record<string, unknown>;

const SECCOMP =
  'seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write","exit","exit_group","futex"],"action":"SCMP_ACT_ALLOW"}]}';

/** The live container created from compliant.tf.json (after the PIDs-limit step ran). */
export function compliantInspect(): InspectJson {
  return {
    Id: "5e027486642159e6db029a42bbb5f58e9715ba1c313655c5c07dd5d8d9241aba",
    Name: "/api",
    Image: "sha256:" + "cd".repeat(32),
    AppArmorProfile: "",
    State: { Status: "running", Running: true, Health: { Status: "healthy" } },
    Config: {
      Image: `registry.example.com/payments/api@${DIGEST}`,
      User: "65534:65534",
      Labels: {
        "io.hardened-docker.managed-by": "cdktf-hardened-docker",
        "io.hardened-docker.owner": "payments-team",
        "io.hardened-docker.purpose": "public REST API",
        "io.hardened-docker.expires": "2026-06-30",
      },
      Healthcheck: {
        Test: ["CMD", "/bin/healthcheck"],
        Interval: 30_000_000_000,
        Timeout: 5_000_000_000,
        StartPeriod: 10_000_000_000,
        Retries: 3,
      },
      ExposedPorts: { "8080/tcp": {} },
    },
    HostConfig: {
      Binds: null,
      LogConfig: { Type: "json-file", Config: { "max-file": "3", "max-size": "10m" } },
      NetworkMode: "bridge",
      PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "18080" }] },
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 5 },
      AutoRemove: false,
      CapAdd: null,
      CapDrop: ["ALL"],
      CgroupnsMode: "private",
      IpcMode: "private",
      Cgroup: "",
      PidMode: "",
      Privileged: false,
      PublishAllPorts: false,
      ReadonlyRootfs: true,
      // In the order the provider sends the set (by CRC-32 text; see confinement.test.ts).
      SecurityOpt: [SECCOMP, "no-new-privileges:true"],
      Tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
      UTSMode: "",
      UsernsMode: "",
      CpuShares: 512,
      Memory: 268_435_456,
      NanoCpus: 0,
      CgroupParent: "",
      CpuPeriod: 100_000,
      CpuQuota: 50_000,
      Devices: null,
      MemorySwap: 268_435_456,
      PidsLimit: 128,
      Ulimits: [
        { Name: "nproc", Hard: 128, Soft: 128 },
        { Name: "nofile", Hard: 1024, Soft: 1024 },
      ],
      Init: true,
    },
    Mounts: [],
    NetworkSettings: {
      Networks: { "app-net": { NetworkID: "f".repeat(64), IPAddress: "172.18.0.2" } },
    },
  };
}

/**
 * The compliant inspect JSON with `overrides` merged: top-level keys are replaced, except
 * `Config` and `HostConfig`, whose keys are replaced one by one (`undefined` deletes a key).
 */
export function inspectOf(overrides: InspectJson = {}): InspectJson {
  const base = compliantInspect();
  for (const [key, value] of Object.entries(overrides)) {
    if ((key === "Config" || key === "HostConfig") && typeof value === "object" && value !== null) {
      const section = base[key] as InspectJson;
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) delete section[k];
        else section[k] = v;
      }
    } else if (value === undefined) {
      delete base[key];
    } else {
      base[key] = value;
    }
  }
  return base;
}
