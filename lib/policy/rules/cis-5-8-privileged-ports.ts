import { MAX_PRIVILEGED_PORT } from "../facts/defaults";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { failAbout, pass, quoted, unknown } from "./support";

/** CIS 5.8: privileged ports are not mapped within containers. */
export const CIS_5_8_PRIVILEGED_PORTS: Rule = {
  id: "CIS-5.8",
  title: "Ensure privileged ports are not mapped within containers",
  level: "error",
  waivedBy: ["privilegedPorts"],
  rationale:
    "Host ports 1024 and below are reserved for system services; publishing one lets a container " +
    "stand in for such a service. Host port 0 asks the engine for an ephemeral port (above 1024) " +
    "and passes.",
  remediation:
    "Publish on a host port above 1024 (`ports[].external`) and put a proxy in front if needed; " +
    "if the port must be low, use `Relax.privilegedPorts([port], reason)`.",
  blindSpots:
    "Low ports bound inside the container's own network namespace (HD-SYSCTLS judges the port floor); ports an image EXPOSEs under publish_all_ports (unknown).",
  check: (c) => {
    if (isUnknown(c.ports)) return unknown(c.ports);
    if (c.ports.length === 0) return pass("publishes no ports");
    const low = c.ports.filter((p) => p.hostPort > 0 && p.hostPort <= MAX_PRIVILEGED_PORT);
    if (low.length > 0) {
      return failAbout(
        `publishes privileged host ports: ${quoted(low.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`))}`,
        "hostPort",
        low.map((p) => String(p.hostPort)),
      );
    }
    return pass(`every published host port is above ${MAX_PRIVILEGED_PORT} or ephemeral`);
  },
};
