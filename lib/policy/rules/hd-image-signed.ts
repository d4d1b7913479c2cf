import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass } from "./support";

/**
 * HD-IMAGE-SIGNED: what Docker Content Trust (CIS 4.5) was meant to give, with what teams use
 * now: a cosign signature by a trusted key over the exact digest that runs. The registry
 * look-ups happen before evaluation (`auditHost` with `trustedKeys`); the rule reads their
 * outcome from the context, by container.
 */
export const HD_IMAGE_SIGNED: Rule = {
  id: "HD-IMAGE-SIGNED",
  title: "Ensure each container runs an image signed by a trusted key",
  level: "error",
  rationale:
    "A digest fixes what runs, not who built it. A cosign signature made with a key the team " +
    "trusts, over exactly the digest that runs, shows the image came from its build pipeline. " +
    "Docker Content Trust, the benchmark's answer (CIS 4.5), is retired: Notary v1 shuts down on " +
    "2026-12-08.",
  remediation:
    "Sign the image's digest in the pipeline (`cosign sign --key cosign.key <repo>@sha256:...`) " +
    "and deploy it with `ContainerImage.pinned(ref, { signedBy: [key] })` or " +
    "`fromRegistryTag(..., { signedBy: [key] })`, which refuse an unsigned image before it runs.",
  blindSpots:
    "Synthesized stacks (not applicable there: the deploy-time verify-image step is what checks them); " +
    "keyless (Fulcio/Rekor) signatures; who holds the trusted key; an image whose registry cannot be " +
    "reached from the auditing machine (unknown).",
  check: (c, ctx) => {
    const signatures = ctx.imageSignatures;
    if (signatures === undefined) {
      return notApplicable(
        "not applicable: no trusted key given (audit --host --trusted-key <cosign.pub> checks the signatures of running images)",
      );
    }
    const found = signatures.byResource.get(c.resource);
    if (found === undefined) {
      return {
        status: "unknown",
        message: "the signature of this container's image was not looked up",
      };
    }
    if (found.signed === undefined) return { status: "unknown", message: found.message };
    const image = isUnknown(c.image) ? "the image" : c.image.reference;
    return found.signed
      ? pass(`${image}: ${found.message}`.slice(0, 300))
      : fail(`${image}: ${found.message}`.slice(0, 400));
  },
};
