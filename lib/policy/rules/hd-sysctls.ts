import { MAX_PRIVILEGED_PORT } from "../facts/defaults";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

const PORT_FLOOR = "net.ipv4.ip_unprivileged_port_start";

/** HD-SYSCTLS: no sysctl undoes what dropping capabilities guarantees. */
export const HD_SYSCTLS: Rule = {
  id: "HD-SYSCTLS",
  title: "Ensure that sysctls do not undo the privileged-port floor",
  level: "error",
  rationale:
    `\`${PORT_FLOOR}\` below ${MAX_PRIVILEGED_PORT} lets any process in the container bind the ` +
    "ports below it without CAP_NET_BIND_SERVICE: the capability HardenedContainer drops (and " +
    "`Relax.addCapabilities` records) is granted through the back door.",
  remediation:
    `Remove \`${PORT_FLOOR}\` from \`sysctls\`; listen on a port above ${MAX_PRIVILEGED_PORT} and ` +
    "publish it on the port you need, or grant NET_BIND_SERVICE with " +
    '`Relax.addCapabilities(["NET_BIND_SERVICE"], reason)`.',
  blindSpots:
    "Docker 20.10+ sets ip_unprivileged_port_start=0 in every container's network namespace when the configuration sets nothing: that default passes (HardenedContainer sets 1024); other sysctls are not judged.",
  check: (c) => {
    if (isUnknown(c.sysctls)) return unknown(c.sysctls);
    const names = Object.keys(c.sysctls);
    if (!(PORT_FLOOR in c.sysctls)) {
      return pass(
        `${names.length === 0 ? "sets no sysctl" : `sets ${quoted(names)}, not ${PORT_FLOOR}`} (Docker 20.10+ itself sets it to 0 in the container's network namespace; HardenedContainer restores 1024)`,
      );
    }
    const text = c.sysctls[PORT_FLOOR].trim();
    if (!/^\d+$/.test(text)) {
      return {
        status: "unknown",
        message: `${PORT_FLOOR} is ${JSON.stringify(text)}, not a port number`,
      };
    }
    const floor = Number(text);
    if (floor < MAX_PRIVILEGED_PORT) {
      return fail(
        `${PORT_FLOOR} is ${floor}: any process in the container may bind ports ${floor}-${MAX_PRIVILEGED_PORT - 1} without CAP_NET_BIND_SERVICE`,
      );
    }
    return pass(`${PORT_FLOOR} is ${floor}, not below ${MAX_PRIVILEGED_PORT}`);
  },
};
