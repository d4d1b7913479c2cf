import { Construct } from "constructs";
import { DataDockerRegistryImage } from "@cdktf/provider-docker/lib/data-docker-registry-image";
import { Image } from "@cdktf/provider-docker/lib/image";
import { parseImageReference } from "./image-reference";
import { HardenedDockerValidationError } from "../validation/validation-error";

/**
 * The image a hardened container runs. Build one with a static factory:
 * - `ContainerImage.pinned("registry.example.com/payments/api@sha256:<64 hex>")`: a reference
 *   pinned by content digest (CIS 4.5), checked when the container is created;
 * - `ContainerImage.fromRegistryTag(scope, "api-image", "registry.example.com/payments/api:1.4")`:
 *   a tag resolved to its digest at plan time by the provider's `docker_registry_image` data
 *   source, with a `docker_image` pinned to that digest. What runs is fixed by content, and the
 *   next plan shows a change when the tag moves.
 *
 * A plain string in `HardenedContainerProps.image` is the same as `ContainerImage.pinned`.
 */
export abstract class ContainerImage {
  /** A reference that must be `name@sha256:<64 hex>` (validated by the construct that uses it). */
  public static pinned(reference: string): ContainerImage {
    return new PinnedImage(reference);
  }

  /** Resolves `repository:tag` to a digest at plan time (see the class doc). */
  public static fromRegistryTag(
    scope: Construct,
    id: string,
    reference: string,
    options: RegistryTagOptions = {},
  ): ContainerImage {
    return new RegistryTagImage(scope, id, reference, options);
  }

  /** What the `docker_container.image` attribute receives (may be a token). */
  public abstract readonly containerImage: string;
  /** Registry and repository, e.g. `registry.example.com/payments/api` (for allowlists). */
  public abstract readonly repository: string | undefined;
  /** The reference as the user wrote it, for messages. */
  public abstract readonly source: string;
  /** A reason the reference cannot be used, or undefined when it is digest-pinned. */
  public abstract pinningProblem(): string | undefined;
}

export interface RegistryTagOptions {
  /**
   * Keep the image in the local cache when the resource is destroyed.
   * @default true - another container may still run it.
   */
  readonly keepLocally?: boolean;
}

class PinnedImage extends ContainerImage {
  public readonly containerImage: string;
  public readonly repository: string | undefined;
  public readonly source: string;
  constructor(reference: string) {
    super();
    this.source = reference;
    this.containerImage = reference;
    const parsed = typeof reference === "string" ? parseImageReference(reference) : "not a string";
    this.repository = typeof parsed === "string" ? undefined : parsed.repository;
  }
  public pinningProblem(): string | undefined {
    if (typeof this.source !== "string") return "the image must be a string reference";
    const parsed = parseImageReference(this.source);
    if (typeof parsed === "string") return `not a valid image reference: ${parsed}`;
    if (!parsed.digest) {
      return (
        "the image is not pinned by digest (CIS 4.5): write it as name@sha256:<64 hex>, " +
        `or resolve the tag at plan time with ContainerImage.fromRegistryTag(scope, id, "${this.source}")`
      );
    }
    return undefined;
  }
}

class RegistryTagImage extends ContainerImage {
  public readonly containerImage: string;
  public readonly repository: string;
  public readonly source: string;
  constructor(scope: Construct, id: string, reference: string, options: RegistryTagOptions) {
    super();
    this.source = reference;
    const parsed = parseImageReference(reference);
    const path = `${scope.node.path}/${id}`;
    if (typeof parsed === "string" || parsed.digest || !parsed.tag) {
      throw new HardenedDockerValidationError([
        {
          constructPath: path,
          field: "reference",
          value: reference,
          message:
            typeof parsed === "string"
              ? `not a valid image reference: ${parsed}`
              : parsed.digest
                ? "already pinned by digest: pass it as the image directly (ContainerImage.pinned)"
                : "name a tag to resolve, e.g. registry.example.com/payments/api:1.4",
        },
      ]);
    }
    this.repository = parsed.repository;
    const scopeConstruct = new Construct(scope, id);
    const registryImage = new DataDockerRegistryImage(scopeConstruct, "registry-image", {
      name: reference,
    });
    const image = new Image(scopeConstruct, "image", {
      name: `${parsed.repository}@${registryImage.sha256Digest}`,
      pullTriggers: [registryImage.sha256Digest],
      keepLocally: options.keepLocally ?? true,
    });
    this.containerImage = image.imageId;
  }
  public pinningProblem(): string | undefined {
    return undefined;
  }
}
