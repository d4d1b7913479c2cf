import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** Drivers that hand logs to a service that ships or rotates them off the container's files. */
const SHIPPING_DRIVERS: ReadonlySet<string> = new Set([
  "syslog",
  "journald",
  "fluentd",
  "gelf",
  "awslogs",
  "splunk",
  "gcplogs",
  "logentries",
  "etwlogs",
]);

/** `10m`, `1g`, `500k`, `1024` (bytes), as Docker's log drivers read sizes. */
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgtp]i?)?b?$/i;

function positiveSize(text: string | undefined): boolean {
  const match = text === undefined ? null : SIZE_RE.exec(text.trim());
  return match !== null && Number(match[1]) > 0;
}

function positiveCount(text: string | undefined): boolean {
  return text !== undefined && /^\d+$/.test(text.trim()) && Number(text) >= 1;
}

/** HD-LOG-ROTATION: container logs are kept and rotated. */
export const HD_LOG_ROTATION: Rule = {
  id: "HD-LOG-ROTATION",
  title: "Ensure that container logs are rotated or shipped off the host",
  level: "warning",
  rationale:
    "json-file without max-size grows until the disk is full (a denial of service by logging). " +
    "json-file must set max-size and max-file; the local driver rotates by default; drivers that " +
    "hand logs to a log service (syslog, journald, fluentd, gelf, ...) pass. The none driver " +
    "discards the evidence an incident needs and fails.",
  remediation:
    "Set `log_opts` max-size and max-file for json-file. HardenedContainer does (`logging`: " +
    "json-file, 10 MiB x 3 by default).",
  blindSpots:
    "The daemon's default log options (daemon.json log-opts) when the container sets none; where a remote log driver sends logs.",
  check: (c) => {
    if (isUnknown(c.logConfig)) return unknown(c.logConfig);
    const { type, options } = c.logConfig;
    if (type === "json-file") {
      const missing: string[] = [];
      if (!positiveSize(options["max-size"])) missing.push("max-size");
      if (!positiveCount(options["max-file"])) missing.push("max-file");
      if (missing.length > 0) {
        return fail(
          `json-file logs without a valid ${missing.join(" and ")}: they grow without bound`,
        );
      }
      return pass(`json-file rotated at ${options["max-size"]} x ${options["max-file"]} files`);
    }
    if (type === "local") {
      if (options["max-size"] !== undefined && !positiveSize(options["max-size"])) {
        return fail(
          `local driver with max-size ${JSON.stringify(options["max-size"])}: not a positive size`,
        );
      }
      return pass(
        `local driver rotates (max-size ${options["max-size"] ?? "20m"}, max-file ${options["max-file"] ?? "5"})`,
      );
    }
    if (type === "none")
      return fail("logging is disabled (driver none): nothing is kept for an investigation");
    if (SHIPPING_DRIVERS.has(type))
      return pass(`the ${type} driver hands logs to a log service that rotates or ships them`);
    return {
      status: "unknown",
      message: `log driver ${JSON.stringify(type)} is not one this rule knows: check that it rotates or ships logs`,
    };
  },
};
