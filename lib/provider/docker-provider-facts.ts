import * as zlib from "node:zlib";
import { trimEndChar } from "../policy/facts/linear-text";
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

/** The CRC-32 (IEEE) table, one entry per byte value. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Node's own CRC-32 (zlib.crc32, Node 20.15 and later), when this Node has it. */
const nativeCrc32 = (zlib as { crc32?: (data: string | Uint8Array) => number }).crc32;

/**
 * CRC-32 (IEEE), as Go's `hash/crc32.ChecksumIEEE`, of a string's UTF-8 bytes. Each seccomp
 * option is a whole profile (tens of kilobytes), so the reader computes this over megabytes for a
 * large stack: Node's native CRC-32 where it exists, else a table, not a bit at a time.
 */
export function crc32(text: string): number {
  return nativeCrc32 !== undefined ? nativeCrc32(text) >>> 0 : crc32ByTable(text);
}

/** The table form (for a Node without zlib.crc32), exported for the test that checks it. */
export function crc32ByTable(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ byte) & 0xff] as number);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The order in which the provider sends a string set (`security_opts`, `dns_opts`, ...) to the
 * Engine: its SDK's `schema.Set.List()` sorts the elements by their hash code (`HashString`, the
 * CRC-32 of the string) written in decimal and compared as text, so `"3346480255"` comes before
 * `"512167947"`. Docker applies the last of two conflicting security options, so this order
 * decides which one wins (checked on Docker 20.10 with the 4.6.0 provider: `security_opts =
 * ["apparmor=unconfined", "apparmor=docker-default"]` gives `AppArmorProfile: "unconfined"`).
 * Two different strings with the same hash share one slot of the set and only the first the SDK
 * meets is kept: `collision` names them, and the caller cannot know what is sent.
 *
 * The strings are hashed, ordered and returned in Unicode normal form C, because that is what
 * the provider receives: Terraform holds every configuration string as a cty string, which is
 * NFC-normalized. Seen with Terraform 1.11 and 4.6.0: `security_opts = ["seccomp=unconfined",
 * "seccomp={...\"e\u0301" + "0\"...}"]` reached the Engine composed (`é0`) and in the order of the
 * composed text's hash, `seccomp=unconfined` last (the container ran unconfined), where hashing
 * the text as written puts the profile last.
 */
export function providerSetOrder(
  values: readonly string[],
): { readonly ordered: string[] } | { readonly collision: readonly [string, string] } {
  const byCode = new Map<string, string>();
  for (const written of values) {
    const value = written.normalize("NFC");
    const code = String(crc32(value));
    const seen = byCode.get(code);
    if (seen !== undefined && seen !== value) return { collision: [seen, value] };
    byCode.set(code, value);
  }
  const codes = [...byCode.keys()].sort();
  return { ordered: codes.map((code) => byCode.get(code) as string) };
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * The bytes the provider sends for a MiB attribute (`memory`, `memory_swap`, `shm_size`): Go's
 * `int64(v) * 1024 * 1024`, which wraps around past 2^63 (`memory = 17592186044416`, 2^44 MiB,
 * becomes 0: no limit, as the Engine shows). Undefined when the value is not a whole number in
 * Terraform's int64 range (the provider would refuse it or read something else).
 */
export function providerMiBToBytes(mib: number): number | undefined {
  if (!Number.isSafeInteger(mib)) {
    if (!Number.isInteger(mib)) return undefined;
    const big = BigInt(mib);
    if (big < INT64_MIN || big > INT64_MAX) return undefined;
  }
  return Number(BigInt.asIntN(64, BigInt(mib) * BigInt(PROVIDER_MB)));
}

/**
 * The `NanoCPUs` the 4.x provider sends for `cpus` (Docker's `opts.ParseCPUs`: the decimal times
 * 10^9, kept only when whole, then `Int64()` of it, which wraps past 2^63). Undefined when the
 * text is not a plain decimal or too precise (the provider refuses it).
 */
export function providerNanoCpus(cpus: string): number | undefined {
  const match = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(cpus);
  if (match === null) return undefined;
  const fraction = trimEndChar(match[2] ?? "", "0");
  if (fraction.length > 9) return undefined;
  const nano = BigInt(match[1] as string) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0") || "0");
  return Number(BigInt.asIntN(64, nano));
}
