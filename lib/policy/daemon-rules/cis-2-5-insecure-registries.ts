import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "../rules/support";

/**
 * True for a CIDR or host inside loopback (`127.0.0.0/8`, `127.0.0.1:5000`, `::1/128`,
 * `localhost:5000`): traffic to it never leaves the host, so plain HTTP there exposes nothing.
 */
export function isLoopbackRegistry(entry: string): boolean {
  const value = entry.trim().toLowerCase();
  const cidr = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (cidr) return Number(cidr[4]) >= 8 && Number(cidr[4]) <= 32;
  if (value === "::1/128") return true;
  const host = value.replace(/:\d+$/, "");
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** CIS 2.5: images are pulled over TLS, except from the host itself. */
export const CIS_2_5_INSECURE_REGISTRIES: DaemonRule = {
  id: "CIS-2.5",
  title: "Ensure insecure registries are not used (beyond loopback)",
  level: "error",
  rationale:
    "For an insecure registry the daemon accepts plain HTTP or any certificate: anyone on the " +
    "path can swap the image a container runs. Loopback (`127.0.0.0/8`, Docker's built-in " +
    "entry) never leaves the host.",
  remediation:
    "Remove the entries from `--insecure-registry` / `insecure-registries` and give the " +
    "registry a certificate the host trusts (/etc/docker/certs.d/<host>/ca.crt).",
  blindSpots:
    "Whether a listed address is really reachable only from this host (a CIDR of a private " +
    "network is still a network); images already pulled from such a registry.",
  check: (d) => {
    if (isUnknown(d.insecureRegistries)) return unknown(d.insecureRegistries);
    const beyond = d.insecureRegistries.filter((r) => !isLoopbackRegistry(r));
    if (beyond.length > 0) {
      return fail(`insecure registries beyond loopback: ${quoted(beyond)}`);
    }
    return pass(
      d.insecureRegistries.length === 0
        ? "no insecure registries"
        : `insecure registries on loopback only: ${quoted(d.insecureRegistries)}`,
    );
  },
};
