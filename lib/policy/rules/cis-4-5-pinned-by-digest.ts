import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/**
 * CIS 4.5, honestly. The benchmark asks for Docker Content Trust (`DOCKER_CONTENT_TRUST=1`), which
 * Docker retired: the Notary v1 service behind it shuts down on 2026-12-08, so setting the
 * variable is no advice to give. What this rule checks is what content trust was for that a
 * container's configuration can show: the image is fixed by content digest. Who signed that
 * digest is HD-IMAGE-SIGNED's question (cosign signatures by trusted keys, when keys are given).
 */
export const CIS_4_5_PINNED_BY_DIGEST: Rule = {
  id: "CIS-4.5",
  title: "Ensure images are pinned by content digest (CIS 4.5, in place of Docker Content Trust)",
  level: "error",
  rationale:
    "A tag can be moved to other content at any time; a content digest (`name@sha256:<64 hex>`) " +
    "fixes exactly what runs, so what was reviewed is what is deployed. A `docker_image` pinned " +
    "to a digest resolved from the registry at plan time counts. The benchmark's own check, Docker " +
    "Content Trust, is retired (Notary v1 shuts down on 2026-12-08) and is not what this rule " +
    "asks for; who signed the digest is checked by HD-IMAGE-SIGNED with cosign keys " +
    "(`audit --host --trusted-key`, and `signedBy` on the image at deploy time).",
  remediation:
    'Reference the image by digest: `ContainerImage.pinned("repo@sha256:...")`, or resolve a ' +
    "tag to its digest with `ContainerImage.fromRegistryTag(...)`; add `{ signedBy: [key] }` to " +
    "deploy only what a trusted cosign key signed.",
  blindSpots:
    "Who built or signed the digest (HD-IMAGE-SIGNED checks that when keys are given); for a live container pulled by tag, which digest the tag named at pull time.",
  check: (c) => {
    if (isUnknown(c.image)) return unknown(c.image);
    if (c.image.pinnedByDigest) return pass(`pinned by digest: ${c.image.reference}`.slice(0, 200));
    return fail(
      `image ${JSON.stringify(c.image.reference)} is not pinned by digest: its tag can be moved`,
    );
  },
};
