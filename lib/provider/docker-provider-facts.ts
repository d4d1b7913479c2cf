/**
 * Facts about how the Terraform Docker provider (kreuzwerker/docker 3.6.x, bound by
 * @cdktf/provider-docker 12) turns `docker_container` attributes into Engine API values.
 * Source: shared/reference/docker-provider-mapping.md. Everything that reads synthesized JSON
 * (the policy adapter, the `up` harness, drift) takes units and defaults from here, once.
 */

/** `memory`, `memory_swap`, `shm_size` are in MB and multiplied by this. */
export const PROVIDER_MB = 1024 * 1024;

/** `cpus = "0.5"` becomes `CPUPeriod = 100000`, `CPUQuota = 0.5 * 100000`; NanoCpus stays 0. */
export const PROVIDER_CPU_PERIOD = 100_000;

/** A `ports` block without `ip` binds every interface. */
export const PROVIDER_DEFAULT_PORT_IP = "0.0.0.0";
export const PROVIDER_DEFAULT_PORT_PROTOCOL = "tcp";

/** `restart` when omitted. */
export const PROVIDER_DEFAULT_RESTART = "no";

/** Docker's own default CPU weight: `CpuShares` 0 means this. */
export const DOCKER_DEFAULT_CPU_SHARES = 1024;

/** Capabilities Docker grants a container by default (CIS 5.4 lists these as acceptable). */
export const DOCKER_DEFAULT_CAPABILITIES: readonly string[] = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "NET_RAW",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

const DURATION_UNITS_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a Go duration string (`"10s"`, `"1m30s"`, `"500ms"`) into nanoseconds, as the provider
 * does for health check durations. Returns undefined when the string is not a Go duration.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * DURATION_UNITS_NS[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) return undefined;
  return Math.round(total);
}

/** Formats whole seconds as a Go duration string, e.g. 90 -> "90s". */
export function formatGoDurationSeconds(seconds: number): string {
  return `${seconds}s`;
}
