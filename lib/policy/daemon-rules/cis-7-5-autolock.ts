import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, unknown } from "../rules/support";

/** CIS 7.5: a stolen manager disk does not give away the swarm's keys. */
export const CIS_7_5_AUTOLOCK: DaemonRule = {
  id: "CIS-7.5",
  title: "Ensure that Swarm managers run in auto-lock mode",
  level: "warning",
  rationale:
    "Without auto-lock, the keys that decrypt the Raft log (secrets, configs, the CA key) sit " +
    "on each manager's disk: a copy of /var/lib/docker/swarm is the swarm. With it, a " +
    "restarted manager waits for `docker swarm unlock`.",
  remediation:
    "`docker swarm update --autolock=true` on a manager; keep the unlock key in a secrets " +
    "manager and rotate it (`docker swarm unlock-key --rotate`, CIS 7.6).",
  blindSpots: "Whether and where the unlock key is kept; its age (CIS 7.6).",
  check: (d) => {
    if (isUnknown(d.swarm)) return unknown(d.swarm);
    if (d.swarm === undefined) return notApplicable("not a Swarm manager");
    if (isUnknown(d.swarm.autolock)) return unknown(d.swarm.autolock);
    return d.swarm.autolock
      ? pass("managers are auto-locked")
      : fail("auto-lock is off: the Raft keys are on each manager's disk");
  },
};
