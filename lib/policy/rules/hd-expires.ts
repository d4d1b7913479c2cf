import { AuditLabel } from "../../audit/labels";
import { daysBetween, parseIsoDate, startOfUtcDay } from "../../audit/iso-date";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** HD-EXPIRES: the container's expiry day has not passed. */
export const HD_EXPIRES: Rule = {
  id: "HD-EXPIRES",
  title: "Ensure that containers have not outlived their expiry date",
  level: "error",
  rationale:
    `A container should not run after the day in its ${AuditLabel.expires} label (YYYY-MM-DD, ` +
    "UTC): forgotten workloads are unpatched workloads. A missing or unreadable date fails.",
  remediation:
    "Renew the container's `audit.expires` with a reason (or remove the container). The label " +
    "must be a real date written YYYY-MM-DD.",
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
    return pass(`expires on ${text.trim()} (in ${left} days)`);
  },
};
