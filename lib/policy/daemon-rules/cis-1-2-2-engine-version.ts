import { DaemonRule } from "../daemon-model";
import {
  RELEASE_TABLE_DATE,
  RELEASE_TABLE_MAX_AGE_DAYS,
  releaseSupport,
  releaseTableAgeDays,
} from "../docker-releases";
import { isUnknown, Unknown } from "../unknown";
import { fail, pass, unknown } from "../rules/support";

/** CIS 1.2.2 (1.1.2 in CIS 1.2.0): the engine is a release upstream still maintains. */
export const CIS_1_2_2_ENGINE_VERSION: DaemonRule = {
  id: "CIS-1.2.2",
  title: "Ensure that the version of Docker is up to date (a maintained release)",
  level: "warning",
  rationale:
    "A release branch upstream no longer maintains gets no fixes for container escapes and " +
    "daemon vulnerabilities. The tool ships a dated table of Docker Engine release branches and " +
    "their end of maintenance (lib/policy/docker-releases.ts); the finding shows its date.",
  remediation:
    "Upgrade the engine to a maintained release (docs.docker.com/engine/release-notes), or, for " +
    "a distribution's package that backports fixes (Debian's `+dfsg`, Ubuntu's), record that " +
    "decision where the audit runs (`--level CIS-1.2.2=info`, with the distribution's support " +
    "statement next to it).",
  blindSpots:
    "Fixes a distribution backports into an old version number; releases newer than the " +
    "table; patch levels within a maintained branch.",
  check: (d, context) => {
    if (isUnknown(d.serverVersion)) return unknown(d.serverVersion);
    const age = releaseTableAgeDays(context.now);
    const table = `release table dated ${RELEASE_TABLE_DATE}`;
    if (age > RELEASE_TABLE_MAX_AGE_DAYS) {
      return unknown(
        new Unknown(
          `the ${table} is ${age} days old (over ${RELEASE_TABLE_MAX_AGE_DAYS}): update the tool to judge ${d.serverVersion}`,
        ),
      );
    }
    const support = releaseSupport(d.serverVersion, context.now);
    switch (support.kind) {
      case "supported":
        return pass(
          `Docker Engine ${d.serverVersion}: branch ${support.branch} is maintained (${table})`,
        );
      case "end-of-life":
        return fail(
          `Docker Engine ${d.serverVersion}: branch ${support.branch} is out of upstream ` +
            `maintenance since ${support.endOfLife} (${table})`,
        );
      default:
        return unknown(new Unknown(`${support.reason} (${table})`));
    }
  },
};
