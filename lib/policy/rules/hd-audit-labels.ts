import { AuditLabel } from "../facts/labels";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

const REQUIRED = [AuditLabel.owner, AuditLabel.purpose, AuditLabel.expires] as const;

/** HD-AUDIT-LABELS: the container says who owns it, why it runs and until when. */
export const HD_AUDIT_LABELS: Rule = {
  id: "HD-AUDIT-LABELS",
  title: "Ensure that containers carry owner, purpose and expiry labels",
  level: "warning",
  rationale:
    "An audit of a host must answer, from the container alone, who runs it, why, and until " +
    `when: the labels ${REQUIRED.join(", ")}.`,
  remediation:
    "Set `audit` (owner, purpose, expires) on HardenedContainer, or the labels directly on the " +
    "docker_container.",
  blindSpots: "Whether the labels are true: whoever writes the configuration writes them.",
  check: (c) => {
    if (isUnknown(c.labels)) return unknown(c.labels);
    const labels = c.labels;
    const missing = REQUIRED.filter((name) => (labels[name] ?? "").trim() === "");
    if (missing.length > 0) return fail(`missing or empty audit labels: ${missing.join(", ")}`);
    return pass(
      `owner ${JSON.stringify(labels[AuditLabel.owner])}, purpose ${JSON.stringify(labels[AuditLabel.purpose])}, expires ${labels[AuditLabel.expires]}`,
    );
  },
};
