import { repositoryIsTrusted } from "../facts/image-reference";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, quoted, unknown } from "./support";

/**
 * The names a repository goes by: as written, and for Docker Hub images also the canonical
 * `docker.io/library/<name>` / `docker.io/<user>/<name>`, so an allowlist may use either.
 */
export function repositoryNames(repository: string): string[] {
  const first = repository.split("/")[0];
  const hasRegistry =
    repository.includes("/") &&
    (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) {
    if (first !== "docker.io" && first !== "index.docker.io") return [repository];
    const path = repository.slice(first.length + 1);
    return [repository, `docker.io/${path.includes("/") ? path : `library/${path}`}`];
  }
  return [
    repository,
    `docker.io/${repository.includes("/") ? repository : `library/${repository}`}`,
  ];
}

/** CIS 4.2: only trusted base images are used (here: images from allow-listed registries). */
export const CIS_4_2_TRUSTED_REGISTRY: Rule = {
  id: "CIS-4.2",
  title: "Ensure that containers use only trusted base images",
  level: "error",
  waivedBy: ["untrustedRegistry"],
  rationale:
    "An image from an unreviewed source runs whatever its publisher put in it. A run " +
    "configuration can enforce that images come from allow-listed registries or repositories " +
    "(prefixes matched on whole path components). Without an allowlist there is nothing to check.",
  remediation:
    "Pull from a trusted registry, or add it to the allowlist (`trustedRegistries` on " +
    "HardenedContainer or HardenedDockerChecks, the `hardened-docker:trustedRegistries` context, " +
    "or `--trusted-registry`); `Relax.untrustedRegistry(reason)` is the reasoned exception.",
  blindSpots:
    "Who can push to an allowed registry and what it serves; registry mirrors or pull-through caches configured in the daemon, which may serve the image from elsewhere.",
  check: (c, context) => {
    const allowed = context.trustedRegistries;
    if (allowed === undefined) {
      return notApplicable("not applicable: no trusted registries allowlist is configured");
    }
    if (isUnknown(c.image)) return unknown(c.image);
    if (c.image.repository === "") {
      return {
        status: "unknown",
        message: `the image is referenced by ID (${c.image.reference.slice(0, 19)}...): which repository it came from is not in the container's configuration`,
      };
    }
    const names = repositoryNames(c.image.repository);
    if (names.some((name) => repositoryIsTrusted(name, allowed))) {
      return pass(`${c.image.repository} is in the trusted registries`);
    }
    return fail(`${c.image.repository} is not in the trusted registries (${quoted(allowed)})`);
  },
};
