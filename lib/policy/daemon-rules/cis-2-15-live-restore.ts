import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";

/** CIS 2.15: containers keep running while the daemon restarts. */
export const CIS_2_15_LIVE_RESTORE: DaemonRule = {
  id: "CIS-2.15",
  title: "Ensure live restore is enabled",
  level: "warning",
  rationale:
    "With live restore, containers keep running while dockerd is stopped or upgraded, so " +
    "patching the daemon (CIS 1.2.2) does not mean an outage and is not put off.",
  remediation:
    'Start dockerd with `--live-restore` (or `"live-restore": true` in daemon.json). It does ' +
    "not apply to Swarm services, which Swarm reschedules.",
  blindSpots: "Whether the daemon's restarts are in fact rare or scheduled.",
  check: (d) => {
    if (isUnknown(d.liveRestore)) return unknown(d.liveRestore);
    return d.liveRestore
      ? pass("live restore is enabled")
      : fail("live restore is disabled: stopping or upgrading dockerd stops every container");
  },
};
