export { HardenedService } from "./hardened-service";
export {
  HardenedServiceProps,
  RollingUpdateProps,
  ServicePortProps,
  ServiceResourceProps,
  ServiceSecretProps,
} from "./hardened-service-props";
export { ResolvedServiceSpec } from "./resolved-service-spec";
export { SERVICE_DEFAULTS } from "./service-defaults";
