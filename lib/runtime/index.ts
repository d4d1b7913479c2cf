/**
 * Run a synthesized stack on the local Docker Engine without Terraform (`hardened-docker up` /
 * `down`), mapping `docker_container` attributes exactly as the Terraform Docker provider does.
 */
export { upStack } from "./up";
export { downStack } from "./down";
export type { UpOptions } from "./up-options";
export type {
  AppliedPidsLimit,
  DeployedImage,
  DeployedObject,
  DeployedStack,
  RemovedStack,
  ResolvedDigest,
} from "./deployed-stack";
export { DeploymentError, StackInputError } from "./errors";
export { planStack, type PlannedResource, type StackPlan } from "./stack-plan";
export {
  toContainerCreateOptions,
  networkAttachments,
  containerLifecycle,
  type EngineContainerCreateOptions,
} from "./container-create-options";
export { containerAttributesSchema, type ContainerAttributes } from "./container-attributes";
export { resolveRegistryDigest, manifestUrl } from "./registry-digest";
export { UpLabel } from "./up-labels";
