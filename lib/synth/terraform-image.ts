import { parseImageReference } from "../policy/facts/image-reference";
import { ImageModel } from "../policy/model";
import { Maybe, Unknown } from "../policy/unknown";
import { imageFromReference } from "../policy/normalize";
import {
  applyTimeUnknown,
  describeValue,
  hasTerraformExpression,
  isRecord,
  unescapeTerraformLiteral,
} from "./terraform-values";

/**
 * Resolves a `docker_container`'s `image` attribute to the image model, following a reference to
 * a `docker_image` resource of the same stack. A `docker_image` counts as pinned when its `name`
 * holds a literal digest, or is `repo@${data.docker_registry_image.<n>.sha256_digest}`: a digest
 * resolved at plan time from the registry (the construct's tag helper), so what runs is fixed
 * before apply.
 */

const IMAGE_RESOURCE_REF_RE = /^\$\{docker_image\.([A-Za-z0-9_-]+)\.(image_id|name|repo_digest)\}$/;
const REGISTRY_DIGEST_RE =
  /^(.+)@\$\{data\.docker_registry_image\.([A-Za-z0-9_-]+)\.sha256_digest\}$/;

function child(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function fromDockerImageName(
  imageResource: string,
  name: unknown,
  stack: Record<string, unknown>,
): Maybe<ImageModel> {
  if (typeof name !== "string") {
    return new Unknown(`${imageResource}.name should be a string but is ${describeValue(name)}`);
  }
  const digestRef = REGISTRY_DIGEST_RE.exec(name);
  if (digestRef) {
    const [, repositoryPart, dataName] = digestRef;
    if (hasTerraformExpression(repositoryPart)) {
      return applyTimeUnknown(`${imageResource}.name`, name);
    }
    const dataSource = child(child(stack.data, "docker_registry_image"), dataName);
    if (!isRecord(dataSource)) {
      return new Unknown(
        `${imageResource}.name uses the digest of data.docker_registry_image.${dataName}, which is not in this stack`,
      );
    }
    const parsed = parseImageReference(unescapeTerraformLiteral(repositoryPart));
    if (typeof parsed === "string") {
      return new Unknown(`${imageResource}.name is not a valid image reference: ${parsed}`);
    }
    return { reference: name, pinnedByDigest: true, repository: parsed.repository };
  }
  if (hasTerraformExpression(name)) return applyTimeUnknown(`${imageResource}.name`, name);
  return imageFromReference(unescapeTerraformLiteral(name));
}

/** The image model of a `docker_container` body's `image` value. */
export function terraformImageModel(
  image: unknown,
  stack: Record<string, unknown>,
): Maybe<ImageModel> {
  if (image === undefined || image === null) return new Unknown("image is not set");
  if (typeof image !== "string") {
    return new Unknown(`image should be a string but is ${describeValue(image)}`);
  }
  const ref = IMAGE_RESOURCE_REF_RE.exec(image);
  if (ref) {
    const imageResource = `docker_image.${ref[1]}`;
    const resource = child(child(stack.resource, "docker_image"), ref[1]);
    if (!isRecord(resource)) {
      return new Unknown(`image refers to ${imageResource}, which is not in this stack`);
    }
    return fromDockerImageName(imageResource, resource.name, stack);
  }
  if (hasTerraformExpression(image)) return applyTimeUnknown("image", image);
  return imageFromReference(unescapeTerraformLiteral(image));
}
