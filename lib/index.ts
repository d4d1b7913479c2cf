// The public surface of cdktf-hardened-docker.
export { HardenedContainer } from "./container/hardened-container";
export * from "./network";
export * from "./service";
export * from "./container/hardened-container-props";
export * from "./container/relaxations";
export { Capability, LINUX_CAPABILITIES } from "./container/capabilities";
export { DEFAULTS, TRUSTED_REGISTRIES_CONTEXT } from "./container/defaults";
export { ResolvedContainerSpec } from "./container/resolved-spec";
export { ContainerImage, RegistryTagOptions, SignedImageOptions } from "./image/container-image";
export { REQUIRE_SIGNED_IMAGES_CONTEXT } from "./image/signed-images-context";
export { ImageSignatureStep } from "./image/signature/signature-step-resource";
export {
  verifyImageSignature,
  SignatureVerdict,
  SignatureInputError,
} from "./image/signature/verify-signature";
export { RegistryUnreachableError } from "./image/signature/registry-client";
export { parseImageReference, isPinnedByDigest, ImageReference } from "./image/image-reference";
export { Clock, systemClock, fixedClock } from "./audit/clock";
export { AuditLabel, LABEL_PREFIX, RELAXATION_LABEL_PREFIX } from "./audit/labels";
export { HardenedDockerValidationError, ValidationProblem } from "./validation/validation-error";
export * from "./seccomp";
export * from "./policy";
export { PidsLimitResource } from "./container/pids-limit-resource";
export {
  auditHost,
  buildInventory,
  connectEngine,
  detectDrift,
  driftReportSchema,
  EngineClient,
  EngineUnavailableError,
  HostAuditOptions,
  HostAuditResult,
  inventoryReportSchema,
  InventoryReport,
  DriftReport,
} from "./host";
