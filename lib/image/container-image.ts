import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { DataDockerRegistryImage } from "@cdktf/provider-docker/lib/data-docker-registry-image";
import { Image } from "@cdktf/provider-docker/lib/image";
import { parseImageReference } from "../policy/facts/image-reference";
import { HardenedDockerValidationError } from "../validation/validation-error";
import { parsePublicKey } from "./signature/public-key";
import { ImageSignatureStep } from "./signature/signature-step-resource";

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
 *
 * Either factory takes `{ signedBy: [cosignPublicKeyPem] }`: the stack then verifies, before the
 * container exists, that a cosign signature made with one of those keys covers the digest that
 * will run (`hardened-docker verify-image`, see `lib/image/signature/`).
 */
export abstract class ContainerImage {
  /** A reference that must be `name@sha256:<64 hex>` (validated by the construct that uses it). */
  public static pinned(reference: string, options: SignedImageOptions = {}): ContainerImage {
    return new PinnedImage(reference, options);
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
  /** The PEM public keys one of which must have signed the image; empty when none is required. */
  public abstract readonly trustedKeys: readonly string[];
  /**
   * The step that verifies the signature before the container exists (created in `scope` when
   * the image has no step of its own yet), or undefined when no key is required.
   */
  public abstract signatureStep(scope: Construct): TerraformResource | undefined;
}

/** Options of every `ContainerImage` factory. */
export interface SignedImageOptions {
  /**
   * Cosign public keys (PEM, the content of `cosign.pub`); the image must carry a cosign
   * signature by one of them over the exact digest that will run, checked by a step the
   * container depends on, so an unsigned image fails the deploy before it runs.
   * @default [] - no signature checked, unless the `hardened-docker:requireSignedImages` context
   * is set, which makes an image without keys an error at synth.
   */
  readonly signedBy?: readonly string[];
}

function validateKeys(path: string, keys: readonly string[] | undefined): readonly string[] {
  const list = keys ?? [];
  if (!Array.isArray(list)) {
    throw new HardenedDockerValidationError([
      {
        constructPath: path,
        field: "signedBy",
        value: list,
        message: "a list of PEM public keys (the content of cosign.pub)",
      },
    ]);
  }
  const problems = list.flatMap((key, i) => {
    const parsed = typeof key === "string" ? parsePublicKey(key) : "not a string";
    return typeof parsed === "string"
      ? [
          {
            constructPath: path,
            field: `signedBy.${i}`,
            value: key,
            message: `${parsed}: pass the content of the cosign.pub that cosign generate-key-pair wrote`,
          },
        ]
      : [];
  });
  if (problems.length > 0) throw new HardenedDockerValidationError(problems);
  return list;
}

export interface RegistryTagOptions extends SignedImageOptions {
  /**
   * Keep the image in the local cache when the resource is destroyed.
   * @default true - another container may still run it.
   */
  readonly keepLocally?: boolean;
}

/** The image a construct's `image` prop names: a plain string is `ContainerImage.pinned(string)`. */
export function toContainerImage(image: string | ContainerImage): ContainerImage {
  return typeof image === "string" ? ContainerImage.pinned(image) : image;
}

class PinnedImage extends ContainerImage {
  public readonly containerImage: string;
  public readonly repository: string | undefined;
  public readonly source: string;
  public readonly trustedKeys: readonly string[];
  private readonly steps = new Map<string, TerraformResource>();
  constructor(reference: string, options: SignedImageOptions) {
    super();
    this.source = reference;
    this.containerImage = reference;
    const parsed = typeof reference === "string" ? parseImageReference(reference) : "not a string";
    this.repository = typeof parsed === "string" ? undefined : parsed.repository;
    this.trustedKeys = validateKeys(
      `ContainerImage.pinned(${String(reference)})`,
      options.signedBy,
    );
  }
  public signatureStep(scope: Construct): TerraformResource | undefined {
    if (this.trustedKeys.length === 0) return undefined;
    const parsed = parseImageReference(this.source);
    // An unpinned reference is refused by pinningProblem; there is nothing to verify then.
    if (typeof parsed === "string" || !parsed.digest) return undefined;
    let step = this.steps.get(scope.node.path);
    if (!step) {
      step = new ImageSignatureStep(
        scope,
        "image-signature",
        `${parsed.repository}@${parsed.digest}`,
        this.trustedKeys,
      );
      this.steps.set(scope.node.path, step);
    }
    return step;
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
  public readonly trustedKeys: readonly string[];
  private readonly step: TerraformResource | undefined;
  constructor(scope: Construct, id: string, reference: string, options: RegistryTagOptions) {
    super();
    this.source = reference;
    const parsed = parseImageReference(reference);
    const path = `${scope.node.path}/${id}`;
    this.trustedKeys = validateKeys(path, options.signedBy);
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
    const pinned = `${parsed.repository}@${registryImage.sha256Digest}`;
    // Verified before the image is even pulled: the docker_image depends on the step, and the
    // step's triggers hold the digest, so a moved tag is verified again before anything changes.
    this.step =
      this.trustedKeys.length > 0
        ? new ImageSignatureStep(scopeConstruct, "image-signature", pinned, this.trustedKeys)
        : undefined;
    const image = new Image(scopeConstruct, "image", {
      name: pinned,
      pullTriggers: [registryImage.sha256Digest],
      keepLocally: options.keepLocally ?? true,
      ...(this.step ? { dependsOn: [this.step] } : {}),
    });
    this.containerImage = image.imageId;
  }
  public pinningProblem(): string | undefined {
    return undefined;
  }
  public signatureStep(): TerraformResource | undefined {
    return this.step;
  }
}
