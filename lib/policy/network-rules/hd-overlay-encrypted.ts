import { NetworkRule } from "../network-model";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, unknown } from "../rules/support";

/** The overlay driver option that turns on IPsec between nodes (its presence, any value). */
export const OVERLAY_ENCRYPTED_OPTION = "encrypted";

/** HD-OVERLAY-ENCRYPTED (CIS 7.3 style): overlay traffic between nodes is encrypted. */
export const HD_OVERLAY_ENCRYPTED: NetworkRule = {
  target: "network",
  id: "HD-OVERLAY-ENCRYPTED",
  title: "Ensure that overlay networks are encrypted",
  level: "error",
  rationale:
    "An overlay carries container traffic between Swarm nodes over the hosts' network, where " +
    "anyone on the path can read it unless the `encrypted` driver option turns on IPsec " +
    "(CIS Docker Benchmark 7.3's concern for management traffic, applied to data traffic). " +
    "Swarm's own `ingress` network is unencrypted unless recreated with the option.",
  remediation:
    "Create overlays with the `encrypted` option: HardenedNetwork.overlay does by default " +
    "(`encrypted: true`); on a live swarm, recreate the network with `--opt encrypted`.",
  blindSpots:
    "Whether the nodes' network is trusted anyway (a single-node swarm sends nothing between " +
    "hosts); whether IPsec (ESP, UDP 4789) is let through the hosts' firewalls; networks created " +
    "by other stacks.",
  check: (n) => {
    if (isUnknown(n.driver)) return unknown(n.driver);
    if (n.driver !== "overlay") return notApplicable(`driver ${n.driver}: not an overlay`);
    if (isUnknown(n.options)) return unknown(n.options);
    const value = n.options[OVERLAY_ENCRYPTED_OPTION];
    if (value === undefined) return fail("the overlay is not encrypted (no `encrypted` option)");
    if (/^(false|0)$/i.test(value.trim())) {
      return {
        status: "unknown",
        message: `encrypted is ${JSON.stringify(value)}: Docker encrypts when the option is present whatever its value; write it without "false"`,
      };
    }
    return pass("the overlay is encrypted between nodes");
  },
};
