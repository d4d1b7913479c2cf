import { Rule } from "../rule";
import { healthcheckVerdict } from "./support";

/** CIS 4.6: a HEALTHCHECK is defined (here: in the run configuration). */
export const CIS_4_6_HEALTHCHECK: Rule = {
  id: "CIS-4.6",
  title: "Ensure that HEALTHCHECK instructions have been added to container images",
  level: "warning",
  waivedBy: ["noHealthcheck"],
  rationale:
    "CIS asks for a HEALTHCHECK in the image. A run configuration can guarantee one whatever the " +
    "image says, which is what this rule checks; synthesized input cannot see the image's own.",
  remediation:
    "Set `healthcheck` (HardenedContainer requires it) or add HEALTHCHECK to the Dockerfile; " +
    "`Relax.noHealthcheck` is the reasoned exception.",
  blindSpots:
    "A HEALTHCHECK baked into the image (synthesized input cannot see images); whether the check's command tests anything meaningful.",
  check: (c) => healthcheckVerdict(c, c.healthcheck),
};
