import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 4.5: content trust (here: the image is pinned by content digest). */
export const CIS_4_5_PINNED_BY_DIGEST: Rule = {
  id: "CIS-4.5",
  title: "Ensure Content trust for Docker is Enabled",
  level: "error",
  rationale:
    "A tag can be moved to other content at any time; a content digest (`name@sha256:<64 hex>`) " +
    "fixes exactly what runs, so what was reviewed is what is deployed. A `docker_image` pinned " +
    "to a digest resolved from the registry at plan time counts; signature verification is a " +
    "step beyond.",
  remediation:
    'Reference the image by digest: `ContainerImage.pinned("repo@sha256:...")`, or resolve a ' +
    "tag to its digest with `ContainerImage.fromRegistryTag(...)`.",
  blindSpots:
    "Whether the digest is the reviewed or signed one (no signature is checked); for a live container pulled by tag, which digest the tag named at pull time.",
  check: (c) => {
    if (isUnknown(c.image)) return unknown(c.image);
    if (c.image.pinnedByDigest) return pass(`pinned by digest: ${c.image.reference}`.slice(0, 200));
    return fail(
      `image ${JSON.stringify(c.image.reference)} is not pinned by digest: its tag can be moved`,
    );
  },
};
