import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";

/** CIS 2.18: no experimental features in production. */
export const CIS_2_18_EXPERIMENTAL: DaemonRule = {
  id: "CIS-2.18",
  title: "Ensure that experimental features are not enabled in production",
  level: "warning",
  rationale:
    "Experimental features are unfinished, change without notice and get less review; they " +
    "are not what a production daemon should expose.",
  remediation: 'Start dockerd without `--experimental` (`"experimental": false` in daemon.json).',
  blindSpots: "Whether the engine is a production one: a test daemon may rightly enable them.",
  check: (d) => {
    if (isUnknown(d.experimental)) return unknown(d.experimental);
    return d.experimental
      ? fail("experimental features are enabled")
      : pass("experimental features are off");
  },
};
