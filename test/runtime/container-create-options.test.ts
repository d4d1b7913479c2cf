import { parseAttributes } from "../../lib/runtime/block-schemas";
import { containerAttributesSchema } from "../../lib/runtime/container-attributes";
import {
  containerLifecycle,
  networkAttachments,
  toContainerCreateOptions,
} from "../../lib/runtime/container-create-options";
import { StackInputError } from "../../lib/runtime/errors";

const MB = 1024 * 1024;

/** Validates like `up` does, then maps. */
function map(attrs: Record<string, unknown>, extraLabels: Record<string, string> = {}) {
  const parsed = parseAttributes("docker_container.c", containerAttributesSchema, {
    name: "c",
    image: "busybox",
    ...attrs,
  });
  return toContainerCreateOptions(parsed, extraLabels);
}

function refused(attrs: Record<string, unknown>): string {
  try {
    map(attrs);
  } catch (error) {
    expect(error).toBeInstanceOf(StackInputError);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("identity and process", () => {
  it("passes name, image (digest reference as is), user, command, entrypoint, env, working_dir", () => {
    const image = `127.0.0.1:5000/hd/web@sha256:${"ab".repeat(32)}`;
    const body = map({
      image,
      user: "65534:65534",
      command: ["/bin/sh", "-c", "sleep 1"],
      entrypoint: ["/sbin/tini", "--"],
      env: ["A=1", "B=two"],
      working_dir: "/srv",
    });
    expect(body.name).toBe("c");
    expect(body.Image).toBe(image);
    expect(body.User).toBe("65534:65534");
    expect(body.Cmd).toEqual(["/bin/sh", "-c", "sleep 1"]);
    expect(body.Entrypoint).toEqual(["/sbin/tini", "--"]);
    expect(body.Env).toEqual(["A=1", "B=two"]);
    expect(body.WorkingDir).toBe("/srv");
  });

  it("refuses an empty string in command, as the provider does", () => {
    expect(refused({ command: ["sleep", ""] })).toMatch(/command\.1.*may not be empty/);
  });

  it("turns the labels list into a map and merges the up labels over it", () => {
    const body = map(
      {
        labels: [
          { label: "io.hardened-docker.owner", value: "payments-team" },
          { label: "io.hardened-docker.up.stack", value: "spoofed" },
        ],
      },
      { "io.hardened-docker.up.stack": "real" },
    );
    expect(body.Labels).toEqual({
      "io.hardened-docker.owner": "payments-team",
      "io.hardened-docker.up.stack": "real",
    });
  });

  it("sets stop_signal and stop_timeout", () => {
    const body = map({ stop_signal: "SIGQUIT", stop_timeout: 20 });
    expect(body.StopSignal).toBe("SIGQUIT");
    expect(body.StopTimeout).toBe(20);
  });
});

describe("healthcheck", () => {
  it("converts Go durations to nanoseconds and keeps retries", () => {
    const body = map({
      healthcheck: {
        test: ["CMD", "/bin/healthcheck"],
        interval: "30s",
        timeout: "1m30s",
        start_period: "500ms",
        retries: 3,
      },
    });
    expect(body.Healthcheck).toEqual({
      Test: ["CMD", "/bin/healthcheck"],
      Interval: 30_000_000_000,
      Timeout: 90_000_000_000,
      StartPeriod: 500_000_000,
      Retries: 3,
    });
  });

  it("uses the provider's 0s / 0 defaults for omitted fields and accepts a one-element list", () => {
    const body = map({ healthcheck: [{ test: ["CMD-SHELL", "true"] }] });
    expect(body.Healthcheck).toEqual({
      Test: ["CMD-SHELL", "true"],
      Interval: 0,
      Timeout: 0,
      StartPeriod: 0,
      Retries: 0,
    });
  });

  it("refuses a duration without a unit, naming the attribute and value", () => {
    const message = refused({ healthcheck: { test: ["CMD", "x"], interval: "30" } });
    expect(message).toContain("docker_container.c");
    expect(message).toContain("healthcheck.interval");
    expect(message).toContain('"30"');
  });
});

describe("security settings", () => {
  it("maps read_only, privileged and capabilities", () => {
    const h = map({
      read_only: true,
      privileged: false,
      capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    }).HostConfig;
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.Privileged).toBe(false);
    expect(h.CapDrop).toEqual(["ALL"]);
    expect(h.CapAdd).toEqual(["NET_BIND_SERVICE"]);
  });

  it("defaults read_only and privileged to false and leaves capabilities to the Engine when unset", () => {
    const h = map({}).HostConfig;
    expect(h.ReadonlyRootfs).toBe(false);
    expect(h.Privileged).toBe(false);
    expect(h).not.toHaveProperty("CapAdd");
    expect(h).not.toHaveProperty("CapDrop");
  });

  it("passes security_opts verbatim, inline seccomp JSON included", () => {
    const seccomp =
      'seccomp={"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}';
    const h = map({ security_opts: ["no-new-privileges:true", seccomp] }).HostConfig;
    expect(h.SecurityOpt).toEqual(["no-new-privileges:true", seccomp]);
    expect(h.SecurityOpt[1]).toBe(seccomp);
  });
});

describe("resources", () => {
  it("multiplies memory, memory_swap and shm_size by 1024*1024", () => {
    const h = map({ memory: 256, memory_swap: 512, shm_size: 64 }).HostConfig;
    expect(h.Memory).toBe(256 * MB);
    expect(h.Memory).toBe(268435456);
    expect(h.MemorySwap).toBe(512 * MB);
    expect(h.ShmSize).toBe(64 * MB);
  });

  it("keeps memory_swap = -1 (unlimited swap) as -1", () => {
    expect(map({ memory: 256, memory_swap: -1 }).HostConfig.MemorySwap).toBe(-1);
  });

  it("leaves memory and swap unset when 0 or absent (the provider skips zero values)", () => {
    const h = map({ memory: 0 }).HostConfig;
    expect(h).not.toHaveProperty("Memory");
    expect(h).not.toHaveProperty("MemorySwap");
  });

  it("maps cpu_period and cpu_quota as they are, never NanoCpus", () => {
    const h = map({ cpu_period: 100000, cpu_quota: 50000 }).HostConfig;
    expect(h.CpuPeriod).toBe(100000);
    expect(h.CpuQuota).toBe(50000);
    expect(h).not.toHaveProperty("NanoCpus");
  });

  // kreuzwerker/docker 3.6.2 panics on `cpus` (resource_docker_container_funcs.go:328, v.(float32)
  // on a TypeString); seen on the real provider. `up` must not deploy what `cdktf deploy` cannot.
  it("refuses cpus with the provider's source line as the reason", () => {
    const message = refused({ cpus: "0.5" });
    expect(message).toMatch(/cpus/);
    expect(message).toMatch(/resource_docker_container_funcs\.go:328/);
    expect(message).toMatch(/cpu_quota/);
  });

  it("maps cpu_shares and cpu_set", () => {
    const h = map({ cpu_shares: 512, cpu_set: "0-1" }).HostConfig;
    expect(h.CpuShares).toBe(512);
    expect(h.CpusetCpus).toBe("0-1");
  });

  it("maps ulimit blocks to Ulimits", () => {
    const h = map({
      ulimit: [
        { name: "nofile", soft: 1024, hard: 2048 },
        { name: "nproc", soft: 128, hard: 128 },
      ],
    }).HostConfig;
    expect(h.Ulimits).toEqual([
      { Name: "nofile", Soft: 1024, Hard: 2048 },
      { Name: "nproc", Soft: 128, Hard: 128 },
    ]);
  });
});

describe("filesystem", () => {
  it("maps the tmpfs map to HostConfig.Tmpfs", () => {
    expect(map({ tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" } }).HostConfig.Tmpfs).toEqual({
      "/tmp": "rw,noexec,nosuid,nodev,size=64m",
    });
  });

  it("maps bind, volume and tmpfs mounts with their options", () => {
    const h = map({
      mounts: [
        {
          type: "bind",
          source: "/etc/app",
          target: "/config",
          read_only: true,
          bind_options: { propagation: "rslave" },
        },
        {
          type: "volume",
          source: "data",
          target: "/data",
          volume_options: { no_copy: true, labels: [{ label: "k", value: "v" }] },
        },
        { type: "tmpfs", target: "/run", tmpfs_options: { size_bytes: 1048576, mode: 448 } },
      ],
    }).HostConfig;
    expect(h.Mounts).toEqual([
      {
        Type: "bind",
        Source: "/etc/app",
        Target: "/config",
        ReadOnly: true,
        BindOptions: { Propagation: "rslave" },
      },
      {
        Type: "volume",
        Source: "data",
        Target: "/data",
        VolumeOptions: {
          NoCopy: true,
          Labels: { k: "v" },
          DriverConfig: { Name: "", Options: {} },
        },
      },
      {
        Type: "tmpfs",
        Source: "",
        Target: "/run",
        TmpfsOptions: { SizeBytes: 1048576, Mode: 448 },
      },
    ]);
  });

  it("maps volumes to Binds host:container:rw|ro (as the provider writes them), anonymous volumes and volumes_from", () => {
    const body = map({
      volumes: [
        { host_path: "/srv/data", container_path: "/data", read_only: true },
        { volume_name: "cache", container_path: "/cache" },
        { container_path: "/scratch" },
        { from_container: "other" },
      ],
    });
    expect(body.HostConfig.Binds).toEqual(["/srv/data:/data:ro", "cache:/cache:rw"]);
    expect(body.Volumes).toEqual({ "/scratch": {} });
    expect(body.HostConfig.VolumesFrom).toEqual(["other"]);
  });

  it("refuses a volumes entry with both from_container and container_path", () => {
    expect(refused({ volumes: [{ from_container: "x", container_path: "/y" }] })).toMatch(
      /from_container/,
    );
  });
});

describe("ports", () => {
  it("binds a port without ip on 0.0.0.0, every interface (the provider's default, the trap)", () => {
    const body = map({ ports: [{ internal: 8080, external: 18080 }] });
    expect(body.ExposedPorts).toEqual({ "8080/tcp": {} });
    expect(body.HostConfig.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "0.0.0.0", HostPort: "18080" }],
    });
  });

  it("keeps an explicit ip and protocol", () => {
    const body = map({
      ports: [{ internal: 53, external: 1053, ip: "127.0.0.1", protocol: "udp" }],
    });
    expect(body.ExposedPorts).toEqual({ "53/udp": {} });
    expect(body.HostConfig.PortBindings).toEqual({
      "53/udp": [{ HostIp: "127.0.0.1", HostPort: "1053" }],
    });
  });

  it("asks for a random host port (HostPort empty) when external is absent", () => {
    const body = map({ ports: [{ internal: 80, ip: "127.0.0.1" }] });
    expect(body.HostConfig.PortBindings).toEqual({
      "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
    });
  });

  it("collects several bindings of one internal port", () => {
    const body = map({
      ports: [
        { internal: 80, external: 8080, ip: "127.0.0.1" },
        { internal: 80, external: 8081, ip: "::1" },
      ],
    });
    expect(body.HostConfig.PortBindings["80/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: "8080" },
      { HostIp: "::1", HostPort: "8081" },
    ]);
  });
});

describe("restart, logging, init and namespaces", () => {
  it('defaults restart to "no" with 0 retries', () => {
    expect(map({}).HostConfig.RestartPolicy).toEqual({ Name: "no", MaximumRetryCount: 0 });
  });

  it("maps restart and max_retry_count", () => {
    expect(map({ restart: "on-failure", max_retry_count: 5 }).HostConfig.RestartPolicy).toEqual({
      Name: "on-failure",
      MaximumRetryCount: 5,
    });
  });

  it("maps log_driver and log_opts; without log_driver the Engine's default driver applies (Type empty)", () => {
    expect(
      map({ log_driver: "json-file", log_opts: { "max-size": "10m", "max-file": "3" } }).HostConfig
        .LogConfig,
    ).toEqual({
      Type: "json-file",
      Config: { "max-size": "10m", "max-file": "3" },
    });
    expect(map({}).HostConfig.LogConfig).toEqual({ Type: "", Config: {} });
  });

  it("sends Init false when init is unset (as the provider does) and true when set", () => {
    expect(map({}).HostConfig.Init).toBe(false);
    expect(map({ init: true }).HostConfig.Init).toBe(true);
  });

  it('defaults network_mode to "bridge" and maps the namespace modes', () => {
    expect(map({}).HostConfig.NetworkMode).toBe("bridge");
    const h = map({
      network_mode: "none",
      pid_mode: "host",
      ipc_mode: "private",
      userns_mode: "host",
      cgroupns_mode: "private",
    }).HostConfig;
    expect(h.NetworkMode).toBe("none");
    expect(h.PidMode).toBe("host");
    expect(h.IpcMode).toBe("private");
    expect(h.UsernsMode).toBe("host");
    expect(h.CgroupnsMode).toBe("private");
  });

  it("maps devices (container path and permissions defaulted), sysctls, group_add, dns, hosts, runtime, cgroup_parent", () => {
    const h = map({
      devices: [
        { host_path: "/dev/fuse" },
        { host_path: "/dev/sda", container_path: "/dev/xvda", permissions: "r" },
      ],
      sysctls: { "net.ipv4.ip_unprivileged_port_start": "0" },
      group_add: ["1000"],
      dns: ["10.0.0.2"],
      dns_opts: ["ndots:1"],
      dns_search: ["example.internal"],
      host: [{ host: "db.internal", ip: "10.0.0.5" }],
      runtime: "runc",
      cgroup_parent: "/apps",
    }).HostConfig;
    expect(h.Devices).toEqual([
      { PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" },
      { PathOnHost: "/dev/sda", PathInContainer: "/dev/xvda", CgroupPermissions: "r" },
    ]);
    expect(h.Sysctls).toEqual({ "net.ipv4.ip_unprivileged_port_start": "0" });
    expect(h.GroupAdd).toEqual(["1000"]);
    expect(h.Dns).toEqual(["10.0.0.2"]);
    expect(h.DnsOptions).toEqual(["ndots:1"]);
    expect(h.DnsSearch).toEqual(["example.internal"]);
    expect(h.ExtraHosts).toEqual(["db.internal:10.0.0.5"]);
    expect(h.Runtime).toBe("runc");
    expect(h.CgroupParent).toBe("/apps");
  });
});

describe("networks_advanced and lifecycle", () => {
  it("lists the networks to join after create, with aliases and addresses", () => {
    const attrs = parseAttributes("docker_container.c", containerAttributesSchema, {
      name: "c",
      image: "busybox",
      networks_advanced: [
        { name: "backend", aliases: ["api"] },
        { name: "front", ipv4_address: "172.30.0.9" },
      ],
    });
    expect(networkAttachments(attrs)).toEqual([
      { network: "backend", endpoint: { Aliases: ["api"] } },
      { network: "front", endpoint: { IPAMConfig: { IPv4Address: "172.30.0.9" } } },
    ]);
  });

  it("defaults start and must_run to true, wait to false with a 60s timeout, remove_volumes to true", () => {
    const attrs = parseAttributes("docker_container.c", containerAttributesSchema, {
      name: "c",
      image: "i",
    });
    expect(containerLifecycle(attrs)).toEqual({
      start: true,
      mustRun: true,
      waitHealthy: false,
      waitTimeoutSeconds: 60,
      destroyGraceSeconds: undefined,
      removeVolumes: true,
    });
  });

  it("refuses attributes it cannot honour instead of ignoring them", () => {
    expect(refused({ upload: [{ file: "/x", content: "y" }] })).toMatch(
      /unsupported attribute\(s\) upload/,
    );
    expect(refused({ gpus: "all" })).toMatch(/gpus/);
  });
});
