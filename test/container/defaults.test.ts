import { SeccompProfile } from "../../lib";
import { AuditLabel } from "../../lib/policy/facts/labels";
import { DANGEROUS_SYSCALLS } from "../../lib/policy/seccomp/dangerous-syscalls";
import { baseProps, labelsOf, pidsStepOf, synthHardened } from "../support/hardened-synth";

// Each default of HardenedContainer, read from the synthesized docker_container JSON.
describe("HardenedContainer defaults on the synthesized docker_container", () => {
  const { container, containerName, resources } = synthHardened(baseProps());

  test("drops every capability and adds none (CIS 5.4)", () => {
    expect(container.capabilities).toEqual({ drop: ["ALL"], add: [] });
  });

  test("is never privileged (CIS 5.5)", () => {
    expect(container.privileged).toBe(false);
  });

  test("sets no-new-privileges (CIS 5.26)", () => {
    expect(container.security_opts).toContain("no-new-privileges:true");
  });

  test("inlines the shipped seccomp profile as JSON, not a file path (CIS 5.22)", () => {
    const opts = container.security_opts as string[];
    const seccomp = opts.filter((o) => o.startsWith("seccomp="));
    expect(seccomp).toHaveLength(1);
    const profile = JSON.parse(seccomp[0].slice("seccomp=".length));
    expect(profile.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(seccomp[0]).toBe(`seccomp=${SeccompProfile.hardenedDefault().toJson()}`);
    const parsed = SeccompProfile.hardenedDefault();
    for (const name of DANGEROUS_SYSCALLS) expect(parsed.denies(name)).toBe(true);
  });

  test("has a read-only root filesystem with a size-capped noexec tmpfs at /tmp (CIS 5.13)", () => {
    expect(container.read_only).toBe(true);
    expect(container.tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=64m" });
  });

  test("restores the kernel's privileged-port floor that Docker 20.10+ lowers to 0", () => {
    expect(container.sysctls).toEqual({ "net.ipv4.ip_unprivileged_port_start": "1024" });
  });

  test("runs as the numeric non-root user 65534:65534 (CIS 4.1)", () => {
    expect(container.user).toBe("65534:65534");
  });

  test("shares no host namespace and maps no device (CIS 5.10, 5.16, 5.17, 5.18, 5.21, 5.31)", () => {
    for (const attr of [
      "pid_mode",
      "ipc_mode",
      "userns_mode",
      "devices",
      "cgroup_parent",
      "volumes",
    ]) {
      expect(container[attr]).toBeUndefined();
    }
    expect(container.network_mode).toBe("none");
  });

  test("limits memory to 256 MiB with swap equal to it, so no swap (CIS 5.11)", () => {
    expect(container.memory).toBe(256);
    expect(container.memory_swap).toBe(256);
  });

  test("sets a CPU quota and CPU shares (CIS 5.12: a CFS quota does not set NanoCpus)", () => {
    expect(container.cpu_period).toBe(100_000);
    expect(container.cpu_quota).toBe(50_000);
    expect(container.cpu_shares).toBe(512);
  });

  // kreuzwerker/docker 3.6.2, internal/provider/resource_docker_container_funcs.go:328: `cpus` is a
  // TypeString cast with `v.(float32)` in resourceDockerContainerCreate. Seen on the real provider:
  // "panic: interface conversion: interface {} is string, not float32" and `terraform apply` fails.
  test("never sets `cpus`, which crashes the pinned provider at create", () => {
    expect(container).not.toHaveProperty("cpus");
  });

  // Linux counts nproc per uid across the host: with it, every container of uid 65534 would share
  // one budget of 128 (seen here: 20 such containers left a 21st unable to fork).
  test("sets the nofile ulimit (CIS 5.19) and no nproc ulimit, which is per uid, not per container", () => {
    expect(container.ulimit).toEqual([{ name: "nofile", soft: 1024, hard: 1024 }]);
  });

  test("applies a PIDs limit of 128 through a terraform_data step run on each (re)creation (CIS 5.29)", () => {
    const step = pidsStepOf(resources);
    const ref = `\${docker_container.${containerName}.id}`;
    expect(step.provisioner).toEqual([
      { "local-exec": { command: `docker update --pids-limit 128 ${ref}` } },
    ]);
    expect(step.triggers_replace).toEqual({ container_id: ref });
    expect(step.input).toEqual({ container_id: ref, pids_limit: 128 });
  });

  test("restarts on failure at most 5 times (CIS 5.15), runs an init, must run", () => {
    expect(container.restart).toBe("on-failure");
    expect(container.max_retry_count).toBe(5);
    expect(container.init).toBe(true);
    expect(container.must_run).toBe(true);
  });

  test("rotates logs: json-file, 10 MiB x 3", () => {
    expect(container.log_driver).toBe("json-file");
    expect(container.log_opts).toEqual({ "max-size": "10m", "max-file": "3" });
  });

  test("renders the health check with Go duration strings (CIS 5.27, 4.6)", () => {
    expect(container.healthcheck).toEqual({
      test: ["CMD", "/bin/healthcheck"],
      interval: "30s",
      timeout: "5s",
      start_period: "10s",
      retries: 3,
    });
  });

  test("publishes no port unless asked", () => {
    expect(container.ports).toBeUndefined();
  });

  test("writes the audit labels, the construct path and the PIDs limit", () => {
    const labels = labelsOf(container);
    expect(labels[AuditLabel.managedBy]).toBe("cdktf-hardened-docker");
    expect(labels[AuditLabel.owner]).toBe("payments-team");
    expect(labels[AuditLabel.purpose]).toBe("public REST API");
    expect(labels[AuditLabel.expires]).toBe("2026-06-30");
    expect(labels[AuditLabel.deployedBy]).toBe("ci-bot");
    expect(labels[AuditLabel.constructPath]).toBe("stack/api");
    expect(labels[AuditLabel.pidsLimit]).toBe("128");
    expect(Object.keys(labels).some((k) => k.includes(".relaxation."))).toBe(false);
  });

  test("names the container after its construct path", () => {
    expect(container.name).toBe("stack-api");
  });

  test("pins the image it was given", () => {
    expect(container.image).toBe(baseProps().image);
  });
});

describe("ports", () => {
  test("bind 127.0.0.1 unless hostIp is given (CIS 5.14; the provider would bind 0.0.0.0)", () => {
    const { container } = synthHardened(
      baseProps({ ports: [{ internal: 8080, external: 18080 }] }),
    );
    expect(container.ports).toEqual([
      { internal: 8080, external: 18080, ip: "127.0.0.1", protocol: "tcp" },
    ]);
  });

  test("with ports and no network the container joins Docker's default bridge (no network_mode none)", () => {
    const { container } = synthHardened(baseProps({ ports: [{ internal: 8080 }] }));
    expect(container.network_mode).toBeUndefined();
    expect(container.networks_advanced).toBeUndefined();
  });

  test("a specific host IP is kept", () => {
    const { container } = synthHardened(
      baseProps({ ports: [{ internal: 53, external: 5353, hostIp: "10.0.0.5", protocol: "udp" }] }),
    );
    expect(container.ports).toEqual([
      { internal: 53, external: 5353, ip: "10.0.0.5", protocol: "udp" },
    ]);
  });
});

describe("resources and other props", () => {
  test("custom limits flow to memory, swap, cpus, shares, ulimits and the PIDs step", () => {
    const { container, resources } = synthHardened(
      baseProps({
        resources: { memoryMiB: 512, cpus: 1.5, cpuShares: 256, pids: 300, openFiles: 4096 },
      }),
    );
    expect(container.memory).toBe(512);
    expect(container.memory_swap).toBe(512);
    expect(container.cpu_period).toBe(100_000);
    expect(container.cpu_quota).toBe(150_000);
    expect(container).not.toHaveProperty("cpus");
    expect(container.cpu_shares).toBe(256);
    expect(container.ulimit).toEqual([{ name: "nofile", soft: 4096, hard: 4096 }]);
    const step = pidsStepOf(resources) as { input: { pids_limit: number } };
    expect(step.input.pids_limit).toBe(300);
  });

  test("extra tmpfs paths are noexec,nosuid,nodev and size-capped", () => {
    const { container } = synthHardened(
      baseProps({
        tmpSizeMiB: 32,
        tmpfs: [{ path: "/var/cache/app", sizeMiB: 8 }, { path: "/run" }],
      }),
    );
    expect(container.tmpfs).toEqual({
      "/tmp": "rw,noexec,nosuid,nodev,size=32m",
      "/var/cache/app": "rw,noexec,nosuid,nodev,size=8m",
      "/run": "rw,noexec,nosuid,nodev,size=64m",
    });
  });

  test("bind mounts are read-only with private propagation (CIS 5.20); volumes read-only", () => {
    const { container } = synthHardened(
      baseProps({
        mounts: [
          { source: "/srv/config", target: "/config" },
          { source: "appdata", target: "/data" },
        ],
      }),
    );
    expect(container.mounts).toEqual([
      {
        type: "bind",
        source: "/srv/config",
        target: "/config",
        read_only: true,
        bind_options: { propagation: "rprivate" },
      },
      { type: "volume", source: "appdata", target: "/data", read_only: true },
    ]);
  });

  test("networks are attached by name and the container is not on network_mode none", () => {
    const { container } = synthHardened(baseProps({ networks: ["backend"] }));
    expect(container.networks_advanced).toEqual([{ name: "backend" }]);
    expect(container.network_mode).toBeUndefined();
  });

  test("plain props: command, entrypoint, env, working dir, labels, name", () => {
    const { container } = synthHardened(
      baseProps({
        name: "payments-api",
        command: ["serve", "--port", "8080"],
        entrypoint: ["/app/bin"],
        env: { LOG_LEVEL: "info" },
        workingDir: "/app",
        labels: { "com.example.team": "payments" },
      }),
    );
    expect(container.name).toBe("payments-api");
    expect(container.command).toEqual(["serve", "--port", "8080"]);
    expect(container.entrypoint).toEqual(["/app/bin"]);
    expect(container.env).toEqual(["LOG_LEVEL=info"]);
    expect(container.working_dir).toBe("/app");
    expect(labelsOf(container)["com.example.team"]).toBe("payments");
  });

  test("a denied-more seccomp profile is inlined as given", () => {
    const profile = SeccompProfile.hardenedDefault().deny(["chroot"]);
    const { container } = synthHardened(baseProps({ seccomp: profile }));
    expect(container.security_opts).toContain(`seccomp=${profile.toJson()}`);
    expect(profile.denies("chroot")).toBe(true);
  });

  test("logging can use the local driver with other rotation sizes", () => {
    const { container } = synthHardened(
      baseProps({ logging: { driver: "local", maxSizeMiB: 5, maxFiles: 2 } }),
    );
    expect(container.log_driver).toBe("local");
    expect(container.log_opts).toEqual({ "max-size": "5m", "max-file": "2" });
  });
});
