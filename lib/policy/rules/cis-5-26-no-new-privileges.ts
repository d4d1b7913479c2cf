import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { fail, notApplicable, pass, quoted, unknown } from "./support";

const OPTION_RE = /^no-new-privileges(?:[=:](.*))?$/;

/** What Docker's `strconv.ParseBool` reads as true; the false spellings and anything else are not. */
const GO_TRUE: ReadonlySet<string> = new Set(["1", "t", "T", "TRUE", "true", "True"]);

/** CIS 5.26: the container is restricted from acquiring additional privileges. */
export const CIS_5_26_NO_NEW_PRIVILEGES: Rule = {
  id: "CIS-5.26",
  title: "Ensure that the container is restricted from acquiring additional privileges",
  level: "error",
  rationale:
    "no-new-privileges stops setuid binaries and file capabilities from raising a process's " +
    "privileges inside the container. Accepted forms: `no-new-privileges`, " +
    "`no-new-privileges:true`, `no-new-privileges=true` and every other spelling of true Docker " +
    "reads (Go's strconv.ParseBool: 1, t, T, TRUE, true, True); a false or unreadable value fails. " +
    "A Swarm service cannot be given it through " +
    "the provider: not applicable, with that reason, unless its live spec shows it.",
  remediation:
    "Add the security option `no-new-privileges:true`. HardenedContainer always sets it and " +
    "offers no relaxation for it.",
  blindSpots:
    "The daemon's no-new-privileges default (daemon.json), which applies to containers that do not set it.",
  check: (c) => {
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    const found = c.securityOpt
      .map((o) => ({ option: o, match: OPTION_RE.exec(o) }))
      .filter((x) => x.match !== null);
    // Docker applies the last one (the options are in the order it applies them: the engine's,
    // or the provider's set order for synthesized input).
    const last = found[found.length - 1];
    if (last !== undefined && !GO_TRUE.has(last.match?.[1] ?? "true")) {
      return fail(
        `no-new-privileges is not enabled: ${quoted([last.option])} is the last one, which Docker applies`,
      );
    }
    if (found.length === 0) {
      if (c.kind === "service") {
        return notApplicable(
          `not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.noNewPrivileges}`,
        );
      }
      return fail("no no-new-privileges security option");
    }
    return pass(
      `no-new-privileges is set (${quoted(found.map((x) => x.option))}; Docker applies the last)`,
    );
  },
};
