import { TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { HardenedContainer } from "../../../lib";
import { sensitiveDirectoryOf } from "../../../lib/policy/facts/host-paths";
import { volumeHostAccess } from "../../../lib/policy/facts/volume-host-access";
import { modelFromInspect } from "../../../lib/host/inspect";
import { CIS_5_6_SENSITIVE_HOST_DIRS } from "../../../lib/policy/rules/cis-5-6-sensitive-host-dirs";
import { CIS_5_32_DOCKER_SOCKET } from "../../../lib/policy/rules/cis-5-32-docker-socket";
import { baseProps } from "../../support/hardened-synth";
import { check, containerBody, fixture, Json, modelOf } from "./support/policy-harness";

/**
 * Issue 17 §3: the sensitive host paths are what gives the host away, compared after
 * normalization, and a volume counts by what the local driver really mounts.
 */

describe("the sensitive host path list", () => {
  const giveaways: [string, string][] = [
    ["/root", "/root"],
    ["/root/.ssh/", "/root"],
    ["/home//alice", "/home"],
    ["/var/lib/docker", "/var/lib/docker"],
    ["/var/lib/docker/overlay2/", "/var/lib/docker"],
    ["/var/lib/containerd", "/var/lib/containerd"],
    ["/var/spool/cron/crontabs", "/var/spool/cron"],
    ["/etc/cron.d", "/etc"],
    ["/run/docker", "/run"],
    ["/run/containerd/", "/run"],
    ["/var/run", "/var/run"],
    ["/bin", "/bin"],
    ["/sbin/", "/sbin"],
    ["//lib", "/lib"],
    ["/lib64//", "/lib64"],
    ["/srv/../root", "/root"],
    ["/./etc/./", "/etc"],
    ["/var", "/var/spool/cron"],
    ["/var/lib/", "/var/lib/docker"],
    ["/var/spool", "/var/spool/cron"],
  ];
  test.each(giveaways)("%s gives the host away (%s)", (path, dir) => {
    expect(sensitiveDirectoryOf(path)).toBe(dir);
  });

  test.each(["/srv/data", "/opt/app/config", "/var/lib/app", "/data", "/rootfs-copy", "/homes"])(
    "%s is application data",
    (path) => {
      expect(sensitiveDirectoryOf(path)).toBeUndefined();
    },
  );

  test("the rule says what it cannot see", () => {
    expect(CIS_5_6_SENSITIVE_HOST_DIRS.blindSpots).toMatch(/symlink/);
  });
});

describe("what a volume reaches, as the local driver reads its options", () => {
  test.each([
    ["no options", undefined, undefined, "none"],
    ["a quota only", "local", { size: "10G" }, "none"],
    ["a tmpfs", "local", { type: "tmpfs", device: "tmpfs", o: "size=100m,uid=1000" }, "none"],
    ["a bind of /srv", "local", { type: "none", device: "/srv/data", o: "bind" }, "host-paths"],
    ["an rbind with flags", "", { type: "none", device: "/etc", o: "ro,rbind" }, "host-paths"],
    ["a host disk", "local", { type: "ext4", device: "/dev/sda1" }, "host-paths"],
    [
      "an overlay",
      "local",
      { type: "overlay", device: "overlay", o: "lowerdir=/etc:/root" },
      "host-paths",
    ],
    ["the host's proc", "local", { type: "proc", device: "proc" }, "host-paths"],
    ["an NFS export", "local", { type: "nfs", device: ":/", o: "addr=127.0.0.1" }, "unknown"],
    ["a CIFS share", "local", { type: "cifs", device: "//10.0.0.2/c" }, "unknown"],
    ["a plugin", "rexray/ebs", {}, "unknown"],
    ["an option the driver does not read", "local", { Device: "/etc" }, "unknown"],
    ["o without type and device", "local", { o: "bind" }, "unknown"],
    ["a type the audit does not know", "local", { type: "fuse.sshfs", device: "x:/" }, "unknown"],
    ["a relative bind", "local", { type: "none", device: "etc", o: "bind" }, "unknown"],
  ] as const)("%s", (_name, driver, options, kind) => {
    expect(volumeHostAccess(driver, options as Record<string, string> | undefined).kind).toBe(kind);
  });

  test("an overlay shows each of its directories", () => {
    const access = volumeHostAccess("local", {
      type: "overlay",
      device: "overlay",
      o: "lowerdir=/etc:/root,upperdir=/srv/u,workdir=/srv/w",
    });
    expect(access).toMatchObject({ paths: ["/etc", "/root", "/srv/u", "/srv/w"] });
  });

  test("the flags are spelled as the engine spells them: BIND is filesystem data", () => {
    expect(volumeHostAccess("local", { type: "none", device: "/etc", o: "BIND" }).kind).toBe(
      "unknown",
    );
  });
});

/** The compliant fixture with a volume mount and the given `docker_volume` resources. */
function stackWithVolume(volumes: Json, source = "data"): Json {
  const stack = fixture("compliant.tf.json");
  const body = containerBody(stack);
  body.mounts = [{ type: "volume", source, target: "/data", read_only: true }];
  (stack.resource as Json).docker_volume = volumes;
  return stack;
}

describe("docker_volume resources in synthesized input", () => {
  test("a host disk (type=ext4, device=/dev/sda1) fails CIS-5.6", () => {
    const stack = stackWithVolume({
      data: { name: "data", driver_opts: { type: "ext4", device: "/dev/sda1" } },
    });
    const verdict = check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack));
    expect(verdict.status).toBe("fail");
    expect(verdict.message).toMatch(/ext4 device \/dev\/sda1/);
  });

  test("an overlay whose lower layers are /etc and /root fails CIS-5.6", () => {
    const stack = stackWithVolume({
      data: {
        name: "data",
        driver_opts: { type: "overlay", device: "overlay", o: "lowerdir=/etc:/root" },
      },
    });
    expect(check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack)).status).toBe("fail");
  });

  test("an overlay of /run reaches the engine socket: CIS-5.32", () => {
    const stack = stackWithVolume({
      data: {
        name: "data",
        driver_opts: { type: "overlay", device: "overlay", o: "lowerdir=/var/run" },
      },
    });
    expect(check(CIS_5_32_DOCKER_SOCKET, modelOf(stack)).status).toBe("fail");
  });

  test("an NFS volume is unknown: what the export holds is not in the stack", () => {
    const stack = stackWithVolume({
      data: { name: "data", driver_opts: { type: "nfs", device: ":/", o: "addr=127.0.0.1" } },
    });
    const verdict = check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack));
    expect(verdict.status).toBe("unknown");
    expect(verdict.message).toMatch(/nfs/);
  });

  test("two docker_volume resources of one name (a count = 0 decoy) are unknown", () => {
    const stack = stackWithVolume({
      decoy: { name: "data", count: 0 },
      real: { name: "data", driver_opts: { type: "none", device: "/", o: "bind" } },
    });
    const verdict = check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack));
    expect(verdict.status).toBe("unknown");
    expect(verdict.message).toMatch(/docker_volume.decoy, docker_volume.real/);
  });

  test("a volume whose name comes from a variable and that binds the host makes a mount unknown", () => {
    const stack = stackWithVolume({
      hidden: { name: "${var.volume}", driver_opts: { type: "none", device: "/etc", o: "bind" } },
    });
    const verdict = check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack));
    expect(verdict.status).toBe("unknown");
    expect(verdict.message).toMatch(/docker_volume.hidden/);
  });

  test("a plain volume, and a plain volume of unknown name beside it, pass", () => {
    const stack = stackWithVolume({
      data: { name: "data" },
      other: { name: "${var.other}" },
    });
    expect(check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack)).status).toBe("pass");
  });

  test("a mount's own volume_options are read the same way", () => {
    const stack = fixture("compliant.tf.json");
    containerBody(stack).mounts = [
      {
        type: "volume",
        source: "fresh",
        target: "/data",
        volume_options: { driver_options: { type: "ext4", device: "/dev/vda" } },
      },
    ];
    expect(check(CIS_5_6_SENSITIVE_HOST_DIRS, modelOf(stack)).status).toBe("fail");
  });
});

describe("live volumes (audit --host)", () => {
  test("a plugin driver is unknown, a local overlay of /etc fails", () => {
    const inspect = (driver: string): Json => ({
      Name: "/c",
      Config: { Image: "x" },
      HostConfig: {},
      Mounts: [{ Type: "volume", Name: "v", Destination: "/v", Driver: driver, RW: false }],
    });
    expect(modelFromInspect(inspect("rexray/ebs")).mounts).toMatchObject({ kind: "unknown" });
    const overlay = modelFromInspect(inspect("local"), {
      volumeOptions: { v: { type: "overlay", device: "overlay", o: "lowerdir=/etc" } },
    });
    expect(check(CIS_5_6_SENSITIVE_HOST_DIRS, overlay).status).toBe("fail");
  });
});

describe("HardenedContainer refuses volumes that reach the host, at synth", () => {
  function synthWithVolume(driverOpts: Record<string, string> | undefined): () => string {
    const stack = new TerraformStack(Testing.app(), "stack");
    new DockerProvider(stack, "docker", {});
    const volume = new Volume(stack, "data", {
      name: "data",
      ...(driverOpts ? { driverOpts } : {}),
    });
    new HardenedContainer(
      stack,
      "api",
      baseProps({ mounts: [{ source: "data", target: "/data", type: "volume" }] }),
    );
    expect(volume.node.id).toBe("data");
    return () => Testing.synth(stack, true);
  }

  test("type=ext4, device=/dev/sda1 (the host's disk)", () => {
    expect(synthWithVolume({ type: "ext4", device: "/dev/sda1" })).toThrow(
      /stack\/api: mounts \(volume data at \/data\).*ext4 device \/dev\/sda1.*CIS 5\.6/,
    );
  });

  test("type=overlay, o=lowerdir=/etc:/root", () => {
    expect(
      synthWithVolume({ type: "overlay", device: "overlay", o: "lowerdir=/etc:/root" }),
    ).toThrow(/overlays the host directories \/etc, \/root/);
  });

  test("an NFS export (fails closed)", () => {
    expect(synthWithVolume({ type: "nfs", device: ":/", o: "addr=10.0.0.1" })).toThrow(
      /whose reach it can tell/,
    );
  });

  test("a plain local volume is accepted", () => {
    expect(synthWithVolume(undefined)).not.toThrow();
  });

  test("a second synth in the same tick reads the stack afresh: a volume added since is judged", () => {
    // A render kept "until the end of the validation pass" (the next microtask) was still there
    // for this second synth, without the docker_volume, and let the host's disk through.
    const stack = new TerraformStack(Testing.app(), "stack");
    new DockerProvider(stack, "docker", {});
    new HardenedContainer(
      stack,
      "api",
      baseProps({ mounts: [{ source: "data", target: "/data", type: "volume" }] }),
    );
    expect(() => Testing.synth(stack, true)).not.toThrow();
    new Volume(stack, "data", { name: "data", driverOpts: { type: "ext4", device: "/dev/sda1" } });
    expect(() => Testing.synth(stack, true)).toThrow(
      /stack\/api: mounts \(volume data at \/data\).*ext4 device \/dev\/sda1/,
    );
  });
});
