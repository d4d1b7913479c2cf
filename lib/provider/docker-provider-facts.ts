/**
 * Facts about how the Terraform Docker provider (kreuzwerker/docker 3.6.x, bound by
 * @cdktf/provider-docker 12) turns `docker_container` attributes into Engine API values.
 * Source: shared/reference/docker-provider-mapping.md. Everything that reads synthesized JSON
 * (the policy adapter, drift) takes units and defaults from here, once.
 */

/** `memory`, `memory_swap`, `shm_size` are in MB and multiplied by this. */
export const PROVIDER_MB = 1024 * 1024;

/** `cpus = "0.5"` becomes `CPUPeriod = 100000`, `CPUQuota = 0.5 * 100000`; NanoCpus stays 0. */
export const PROVIDER_CPU_PERIOD = 100_000;

/** CFS quota in microseconds per {@link PROVIDER_CPU_PERIOD} for `cores` (0.5 cores is 50000). */
export function cpuQuotaOf(cores: number): number {
  return Math.round(cores * PROVIDER_CPU_PERIOD);
}

/** A `ports` block without `ip` binds every interface. */
export const PROVIDER_DEFAULT_PORT_IP = "0.0.0.0";
export const PROVIDER_DEFAULT_PORT_PROTOCOL = "tcp";

/** The network mode the provider sends when `network_mode` is not set. */
export const PROVIDER_DEFAULT_NETWORK_MODE = "bridge";

/** `wait_timeout` when not set, in seconds. */
export const PROVIDER_DEFAULT_WAIT_TIMEOUT_SECONDS = 60;

/** `restart` when omitted. */
export const PROVIDER_DEFAULT_RESTART = "no";

/** Docker's own default CPU weight: `CpuShares` 0 means this. */
export const DOCKER_DEFAULT_CPU_SHARES = 1024;

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

/**
 * Go's `time.Duration.String()` for whole seconds: 5 -> "5s", 90 -> "1m30s", 3600 -> "1h0m0s".
 * kreuzwerker/docker 3.6.2 reads a `docker_container` health check's durations back this way
 * (`Healthcheck.Interval.String()` in resourceDockerContainerRead), so a config written in any
 * other spelling ("60s") plans a change on every deploy.
 */
export function goDurationString(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`goDurationString takes whole seconds, not ${seconds}`);
  }
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * The provider's `shortDur` (internal/provider/resource_docker_service_structures.go:1306 at
 * v3.6.2): Go's spelling with a trailing "m0s" cut to "m", then "h0m" to "h" (60 -> "1m",
 * 3600 -> "1h", 90 -> "1m30s"). It reads every `docker_service` duration back this way; seen on
 * the real provider: `window = "1m" -> "60s"` planned on every deploy.
 */
export function providerShortDuration(seconds: number): string {
  let text = goDurationString(seconds);
  if (text.endsWith("m0s")) text = text.slice(0, -2);
  if (text.endsWith("h0m")) text = text.slice(0, -2);
  return text;
}

/**
 * A `docker_service` rollout `max_failure_ratio` as the provider reads it back:
 * `strconv.FormatFloat(ratio, 'f', 1, 64)` (resource_docker_service_structures.go:87), so one
 * decimal ("0.0"); seen on the real provider: `max_failure_ratio = "0.0" -> "0"` on every plan.
 */
export function providerFailureRatio(ratio: number): string {
  if (!(ratio >= 0 && ratio <= 1) || Math.round(ratio * 10) !== ratio * 10) {
    throw new Error(`a max_failure_ratio the provider keeps must have one decimal, not ${ratio}`);
  }
  return ratio.toFixed(1);
}
