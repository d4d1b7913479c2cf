import { Rule } from "../rule";
import { healthcheckVerdict } from "./support";

/** CIS 5.27: container health is checked at runtime. */
export const CIS_5_27_RUNTIME_HEALTHCHECK: Rule = {
  id: "CIS-5.27",
  title: "Ensure that container health is checked at runtime",
  level: "warning",
  waivedBy: ["noHealthcheck"],
  rationale:
    "A health check lets the engine and operators see a container that runs but no longer " +
    'works. A check whose test is ["NONE"] disables the image\'s and fails.',
  remediation:
    "Set `healthcheck` (HardenedContainer requires it); `Relax.noHealthcheck` is the reasoned " +
    "exception.",
  blindSpots:
    "A HEALTHCHECK baked into the image (synthesized input cannot see images); whether the check's command tests anything meaningful.",
  check: (c) => healthcheckVerdict(c, c.healthcheck),
};
