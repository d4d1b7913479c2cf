import { DIGEST, fixture, Json } from "./policy-harness";
import { compliantInspect, InspectJson } from "./inspect-fixtures";

/**
 * Pairs of one configuration written twice: as synthesized Terraform JSON, and as the
 * `docker inspect` JSON of the container the provider creates from it (values per
 * shared/reference/docker-provider-mapping.md; Engine 20.10 additions checked by hand on the
 * project's engine: IpcMode "private", LogConfig json-file, PortBindings kept under host
 * networking, Networks {"host"} for network_mode host, rprivate for binds).
 */
export interface EquivalentPair {
  readonly name: string;
  readonly stack: Json;
  readonly inspect: InspectJson;
}

function insecureInspect(): InspectJson {
  return {
    Id: "1".repeat(64),
    Name: "/legacy",
    AppArmorProfile: "unconfined",
    Config: {
      Image: "nginx:latest",
      User: "",
      Labels: { "io.hardened-docker.expires": "2025-12-31" },
    },
    HostConfig: {
      Binds: ["/var/run/docker.sock:/var/run/docker.sock:rw", "/etc:/host-etc:ro"],
      LogConfig: { Type: "json-file", Config: {} },
      NetworkMode: "host",
      PortBindings: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "80" }] },
      RestartPolicy: { Name: "always", MaximumRetryCount: 0 },
      CapAdd: ["SYS_ADMIN", "NET_ADMIN"],
      CapDrop: [],
      IpcMode: "host",
      PidMode: "host",
      UsernsMode: "host",
      UTSMode: "",
      Privileged: true,
      PublishAllPorts: false,
      ReadonlyRootfs: false,
      SecurityOpt: ["seccomp=unconfined", "no-new-privileges:false", "apparmor=unconfined"],
      Tmpfs: { "/run": "rw,exec,size=16m" },
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: "/custom",
      CpuPeriod: 0,
      CpuQuota: 0,
      Devices: [{ PathOnHost: "/dev/sda", PathInContainer: "/dev/xvda", CgroupPermissions: "rwm" }],
      MemorySwap: -1,
      PidsLimit: null,
      Ulimits: null,
      Init: false,
      Mounts: [
        {
          Type: "bind",
          Source: "/srv/data",
          Target: "/data",
          BindOptions: { Propagation: "rshared" },
        },
        { Type: "tmpfs", Target: "/scratch", TmpfsOptions: { SizeBytes: 1048576 } },
      ],
    },
    Mounts: [
      {
        Type: "bind",
        Source: "/srv/data",
        Destination: "/data",
        Mode: "",
        RW: true,
        Propagation: "rshared",
      },
      {
        Type: "bind",
        Source: "/etc",
        Destination: "/host-etc",
        Mode: "ro",
        RW: false,
        Propagation: "rprivate",
      },
      { Type: "tmpfs", Source: "", Destination: "/scratch", Mode: "", RW: true, Propagation: "" },
      {
        Type: "bind",
        Source: "/var/run/docker.sock",
        Destination: "/var/run/docker.sock",
        Mode: "rw",
        RW: true,
        Propagation: "rprivate",
      },
    ],
    NetworkSettings: { Networks: { host: {} } },
  };
}

/** A `docker_container` with only `name` and `image`: every provider and Engine default. */
function minimalStack(): Json {
  return {
    resource: {
      docker_container: {
        bare: { name: "bare", image: `registry.example.com/payments/api@${DIGEST}` },
      },
    },
  };
}

function minimalInspect(): InspectJson {
  return {
    Name: "/bare",
    AppArmorProfile: "",
    Config: { Image: `registry.example.com/payments/api@${DIGEST}`, User: "", Labels: null },
    HostConfig: {
      Binds: null,
      LogConfig: { Type: "json-file", Config: {} },
      NetworkMode: "bridge",
      PortBindings: {},
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
      CapAdd: null,
      CapDrop: null,
      IpcMode: "private",
      PidMode: "",
      UsernsMode: "",
      UTSMode: "",
      Privileged: false,
      ReadonlyRootfs: false,
      SecurityOpt: null,
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: "",
      CpuPeriod: 0,
      CpuQuota: 0,
      Devices: null,
      MemorySwap: 0,
      PidsLimit: null,
      Ulimits: null,
      Init: false,
    },
    Mounts: [],
    NetworkSettings: { Networks: { bridge: {} } },
  };
}

/** Named volumes, a read-only bind via `volumes`, a udp port without host port, `volume` mounts. */
function volumesStack(): Json {
  const stack = fixture("compliant.tf.json");
  const containers = (stack.resource as Json).docker_container as Json;
  const body = containers.api_container_1A2B3C4D as Json;
  body.volumes = [
    { volume_name: "${docker_volume.data.name}", container_path: "/data" },
    { host_path: "/srv/config", container_path: "/config", read_only: true },
  ];
  body.mounts = [{ type: "volume", source: "cache", target: "/cache", read_only: true }];
  body.ports = [
    { internal: 8080, external: 18080, ip: "127.0.0.1" },
    { internal: 5353, ip: "127.0.0.1", protocol: "udp" },
  ];
  body.cpus = "1.5";
  body.memory = "512";
  body.memory_swap = 512;
  (stack.resource as Json).docker_volume = { data: { name: "api-data" } };
  return stack;
}

function volumesInspect(): InspectJson {
  const inspect = compliantInspect();
  const host = inspect.HostConfig as InspectJson;
  host.Binds = ["api-data:/data:rw", "/srv/config:/config:ro"];
  host.Mounts = [{ Type: "volume", Source: "cache", Target: "/cache", ReadOnly: true }];
  host.PortBindings = {
    "5353/udp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "18080" }],
  };
  host.CpuQuota = 150_000;
  host.Memory = 536_870_912;
  host.MemorySwap = 536_870_912;
  inspect.Mounts = [
    {
      Type: "volume",
      Name: "cache",
      Source: "/var/lib/docker/volumes/cache/_data",
      Destination: "/cache",
      Driver: "local",
      Mode: "z",
      RW: false,
      Propagation: "",
    },
    {
      Type: "volume",
      Name: "api-data",
      Source: "/var/lib/docker/volumes/api-data/_data",
      Destination: "/data",
      Driver: "local",
      Mode: "rw",
      RW: true,
      Propagation: "",
    },
    {
      Type: "bind",
      Source: "/srv/config",
      Destination: "/config",
      Mode: "ro",
      RW: false,
      Propagation: "rprivate",
    },
  ];
  return inspect;
}

export function equivalentPairs(): EquivalentPair[] {
  return [
    {
      name: "the compliant container",
      stack: fixture("compliant.tf.json"),
      inspect: compliantInspect(),
    },
    {
      name: "the insecure container",
      stack: fixture("insecure.tf.json"),
      inspect: insecureInspect(),
    },
    {
      name: "a container with only name and image",
      stack: minimalStack(),
      inspect: minimalInspect(),
    },
    { name: "volumes, mounts and a udp port", stack: volumesStack(), inspect: volumesInspect() },
  ];
}
