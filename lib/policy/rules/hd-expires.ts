import { AuditLabel } from "../facts/labels";
import { daysBetween, parseIsoDate, startOfUtcDay } from "../facts/iso-date";
import { DEFAULT_MAX_LIFETIME_DAYS } from "../facts/defaults";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/**
 * The lifetime bound: the construct's default (365 days), or a shorter one its label states. A
 * label can only lower the bound: it is written by whoever writes the configuration, so a longer
 * lifetime is a reasoned exception (`Suppressions.add` of HD-EXPIRES), not a label.
 */
function lifetimeBound(label: string | undefined): { days: number; source: string } {
  const days = label !== undefined && /^\d+$/.test(label.trim()) ? Number(label.trim()) : NaN;
  if (days >= 1 && days <= DEFAULT_MAX_LIFETIME_DAYS) {
    return { days, source: `${AuditLabel.maxLifetimeDays} label` };
  }
  return { days: DEFAULT_MAX_LIFETIME_DAYS, source: "the construct's default bound" };
}

/** HD-EXPIRES: the container's expiry day has not passed and is not far in the future. */
export const HD_EXPIRES: Rule = {
  id: "HD-EXPIRES",
  title: "Ensure that containers have not outlived their expiry date",
  level: "error",
  rationale:
    `A container should not run after the day in its ${AuditLabel.expires} label (YYYY-MM-DD, ` +
    "UTC): forgotten workloads are unpatched workloads. A missing or unreadable date fails, and so " +
    `does a date more than ${DEFAULT_MAX_LIFETIME_DAYS} days ahead (the construct's bound; its ` +
    `${AuditLabel.maxLifetimeDays} label may state a shorter one, never a longer one), which would ` +
    "make the label meaningless. A longer lifetime is a reasoned exception: `Suppressions.add` of " +
    "HD-EXPIRES on the construct, which reports show with its reason.",
  remediation:
    "Renew the container's `audit.expires` with a reason (or remove the container). The label " +
    "must be a real date written YYYY-MM-DD.",
  blindSpots:
    "Whether the expiry date is honest: a near date can be renewed forever; who wrote a suppression of this rule.",
  check: (c, context) => {
    if (isUnknown(c.labels)) return unknown(c.labels);
    const text = c.labels[AuditLabel.expires];
    if (text === undefined || text.trim() === "") return fail(`no ${AuditLabel.expires} label`);
    const day = parseIsoDate(text.trim());
    if (day === undefined) {
      return fail(
        `${AuditLabel.expires} is ${JSON.stringify(text)}, not a date written YYYY-MM-DD`,
      );
    }
    const left = daysBetween(context.now, day);
    if (day.getTime() < startOfUtcDay(context.now).getTime()) {
      return fail(`expired on ${text.trim()} (${-left} days ago)`);
    }
    const bound = lifetimeBound(c.labels[AuditLabel.maxLifetimeDays]);
    if (left > bound.days) {
      return fail(
        `expires on ${text.trim()}, in ${left} days: more than the ${bound.days} days allowed (${bound.source})`,
      );
    }
    return pass(`expires on ${text.trim()} (in ${left} days)`);
  },
};
