/**
 * The `/info` answer of a hardened daemon (Docker Engine 29.0.0 with userns remapping, live
 * restore, the default seccomp profile, a private cgroup namespace, the `local` log driver and
 * no insecure registries beyond loopback): what the fake engines answer by default, so their
 * daemon findings pass and container tests see only their containers' verdicts.
 */
export const HARDENED_INFO = {
  ServerVersion: "29.0.0",
  SecurityOptions: ["name=seccomp,profile=default", "name=userns", "name=cgroupns"],
  LiveRestoreEnabled: true,
  CgroupVersion: "2",
  RegistryConfig: {
    InsecureRegistryCIDRs: ["127.0.0.0/8"],
    IndexConfigs: { "docker.io": { Name: "docker.io", Mirrors: [], Secure: true, Official: true } },
    Mirrors: [],
  },
  ExperimentalBuild: false,
  DefaultRuntime: "runc",
  Runtimes: { runc: { path: "runc" } },
  LoggingDriver: "local",
  Swarm: { LocalNodeState: "inactive", ControlAvailable: false },
} as const;
