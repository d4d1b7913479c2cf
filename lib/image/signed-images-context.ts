import { IConstruct } from "constructs";

/**
 * Context key that requires every image of the app (or stack) to name the keys that signed it:
 * `ContainerImage.pinned(ref, { signedBy })` or `ContainerImage.fromRegistryTag(..., { signedBy })`.
 * An image without keys is then an error at synth. Set it in cdktf.json's `context`, on the app
 * (`new App({ context: { "hardened-docker:requireSignedImages": true } })`) or with
 * `cdktf synth --context hardened-docker:requireSignedImages=true`.
 */
export const REQUIRE_SIGNED_IMAGES_CONTEXT = "hardened-docker:requireSignedImages";

/** True when the context requires signed images (`true` or the string `"true"`). */
export function requireSignedImagesFromContext(scope: IConstruct): boolean {
  const value: unknown = scope.node.tryGetContext(REQUIRE_SIGNED_IMAGES_CONTEXT);
  return value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
}
