import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";

/** The names runc goes by as a runtime. */
const RUNC_NAMES: ReadonlySet<string> = new Set(["runc", "io.containerd.runc.v2"]);

/** HD-DAEMON-RUNTIME: containers without `--runtime` run under runc, which the rules assume. */
export const HD_DAEMON_RUNTIME: DaemonRule = {
  id: "HD-DAEMON-RUNTIME",
  title: "Ensure that the daemon's default runtime is runc unless reviewed",
  level: "warning",
  rationale:
    "Every container that names no runtime runs under the default one, and every container " +
    "rule here judges isolation as runc gives it. Another default (or a `runc` entry pointing " +
    "at another program) changes what all of them mean, for better (runsc, Kata) or worse (a " +
    "wrapper, a vendor shim).",
  remediation:
    "Start dockerd without `--default-runtime` (or with `runc`), or review the runtime installed " +
    "on the host and record the decision (`--level HD-DAEMON-RUNTIME=info` where the audit runs).",
  blindSpots: "What the runtime binary on the host really is (only its configured path shows).",
  check: (d) => {
    if (isUnknown(d.defaultRuntime)) return unknown(d.defaultRuntime);
    if (!RUNC_NAMES.has(d.defaultRuntime)) {
      return fail(`the default runtime is ${JSON.stringify(d.defaultRuntime)}, not runc`);
    }
    if (isUnknown(d.runtimes)) return unknown(d.runtimes);
    const path = d.runtimes[d.defaultRuntime];
    if (path !== undefined && !/(^|\/)runc$/.test(path)) {
      return fail(
        `the default runtime ${JSON.stringify(d.defaultRuntime)} runs ${JSON.stringify(path)}, not runc`,
      );
    }
    return pass(`the default runtime is ${d.defaultRuntime}`);
  },
};
