import { hostAddressScope } from "../facts/host-addresses";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { fail, pass, quoted, unknown } from "./support";

/** CIS 5.14: incoming traffic is bound to a specific host interface. */
export const CIS_5_14_HOST_INTERFACE: Rule = {
  id: "CIS-5.14",
  title: "Ensure that incoming container traffic is bound to a specific host interface",
  level: "error",
  waivedBy: ["publishOnAllInterfaces"],
  rationale:
    "A port published on 0.0.0.0 (or ::, in any spelling: ::0, 0:0:0:0:0:0:0:0, ::ffff:0.0.0.0) is reachable on every host interface, including public " +
    "ones, and Docker's iptables rules bypass the host firewall. The Terraform provider " +
    "publishes on 0.0.0.0 when `ip` is not given.",
  remediation:
    "Give every port a host address (`ports[].ip`, e.g. 127.0.0.1). HardenedContainer defaults " +
    "`ports[].hostIp` to 127.0.0.1; `Relax.publishOnAllInterfaces` is the reasoned exception.",
  blindSpots:
    "Host firewall rules (which Docker's iptables rules bypass anyway) and which networks a specific address is reachable from: a public interface's address passes.",
  check: (c) => {
    if (isUnknown(c.ports)) return unknown(c.ports);
    if (c.ports.length === 0) return pass("publishes no ports");
    const open = c.ports.filter((p) => hostAddressScope(p.hostIp) === "all");
    if (open.length > 0) {
      const published = quoted(
        open.map((p) => `${p.hostIp || "0.0.0.0"}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
      );
      return fail(
        c.kind === "service"
          ? `publishes on all interfaces: ${published} (${SERVICE_NOT_ENFORCEABLE.publishOnAddress}: publish nothing, or record the exception with Relax.publishOnAllInterfaces)`
          : `publishes on all interfaces: ${published}`,
      );
    }
    const invalid = c.ports.filter((p) => hostAddressScope(p.hostIp) === "invalid");
    if (invalid.length > 0) {
      return {
        status: "unknown",
        message: `host address ${quoted(invalid.map((p) => p.hostIp))} is not an IP address: which interfaces it binds cannot be told`,
      };
    }
    return pass(
      `every port is bound to a specific address: ${quoted([...new Set(c.ports.map((p) => p.hostIp))])}`,
    );
  },
};
