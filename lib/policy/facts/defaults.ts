/**
 * Every HardenedContainer default, in one place. The props' JSDoc says why each is the secure
 * choice; the README's defaults table lists the CIS check each one satisfies.
 */
export const DEFAULTS = {
  user: "65534:65534",
  memoryMiB: 256,
  cpus: 0.5,
  cpuShares: 512,
  pids: 128,
  openFiles: 1024,
  tmpPath: "/tmp",
  tmpSizeMiB: 64,
  extraTmpfsSizeMiB: 64,
  tmpfsOptions: ["rw", "noexec", "nosuid", "nodev"],
  maxRestarts: 5,
  restartPolicy: "on-failure",
  /** An init process reaps zombies and forwards signals. */
  init: true,
  /**
   * The container gets its own cgroup namespace, so it sees its own cgroup as the root instead
   * of the host's whole hierarchy (HD-CGROUPNS). Docker 20.10 shares the host's on cgroup v1 hosts.
   */
  cgroupnsMode: "private",
  /** Bind mounts do not propagate mounts between host and container (CIS 5.20). */
  bindPropagation: "rprivate",
  /**
   * The driver of the volumes in `volumes`: Docker's own storage under its data root. Without
   * driver options it reaches no host path or device (a plugin decides itself where data goes).
   */
  volumeDriver: "local",
  logDriver: "json-file",
  logMaxSizeMiB: 10,
  logMaxFiles: 3,
  hostIp: "127.0.0.1",
  protocol: "tcp",
  healthcheck: { intervalSeconds: 30, timeoutSeconds: 5, startPeriodSeconds: 10, retries: 3 },
  maxLifetimeDays: 365,
  capDrop: ["ALL"],
  noNewPrivileges: "no-new-privileges:true",
  /**
   * Docker 20.10+ sets `net.ipv4.ip_unprivileged_port_start=0` in every container's network
   * namespace, so any user can bind ports below 1024 without NET_BIND_SERVICE. Restoring the
   * kernel's own 1024 makes dropping that capability mean something again (CIS 5.8 in spirit).
   */
  sysctls: { "net.ipv4.ip_unprivileged_port_start": "1024" },
} as const;

/** Highest privileged port (CIS 5.8: published host ports must be above it). */
export const MAX_PRIVILEGED_PORT = 1024;

/** Context key for the trusted registries allowlist (CIS 4.2), settable on the app or a stack. */
export const TRUSTED_REGISTRIES_CONTEXT = "hardened-docker:trustedRegistries";

/** The longest lifetime in days an expiry date may be ahead (HD-EXPIRES), unless the audit props change it. */
export const DEFAULT_MAX_LIFETIME_DAYS: number = DEFAULTS.maxLifetimeDays;
