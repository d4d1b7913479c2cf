import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** Names of runc, Docker's default runtime, as `HostConfig.Runtime` shows it. */
const RUNC: ReadonlySet<string> = new Set(["", "runc", "io.containerd.runc.v2"]);

/** HD-RUNTIME: the container runs on Docker's default runtime, whose isolation the rules assume. */
export const HD_RUNTIME: Rule = {
  id: "HD-RUNTIME",
  title: "Ensure that containers run on the default runtime (runc) unless reviewed",
  level: "warning",
  rationale:
    "Every rule here judges isolation as runc provides it. Another runtime (`runtime`) is a " +
    "different program registered on the host: it may isolate more (gVisor's runsc, Kata) or less " +
    "(a wrapper, nvidia, a custom shim), and what it does cannot be seen from the configuration.",
  remediation:
    "Remove `runtime`, or keep it after reviewing the runtime installed on the hosts and record " +
    "the decision (suppress HD-RUNTIME with a reason).",
  blindSpots:
    "What the named runtime does on the host; a daemon whose default runtime is not runc.",
  check: (c) => {
    if (isUnknown(c.runtime)) return unknown(c.runtime);
    if (RUNC.has(c.runtime)) {
      return pass(
        c.runtime === "" ? "the daemon's default runtime (runc)" : `runtime ${c.runtime}`,
      );
    }
    return fail(
      `runtime is ${JSON.stringify(c.runtime)}: not runc, so its isolation is not what these rules check`,
    );
  },
};
