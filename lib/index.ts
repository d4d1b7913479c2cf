/**
 * The public surface of cdktf-hardened-docker: what a team writes in its own code, and nothing
 * else. Every name here is part of the package's semver; test/package/public-surface.test.ts
 * holds the list. The library's insides (zod schemas, syscall constants, adapters, engine and
 * host helpers, the CLI) are imported by path inside this repository and are not exported.
 */

// The constructs and their props.
export { HardenedContainer } from "./container/hardened-container";
export type {
  ContainerPortProps,
  ContainerResourceProps,
  HardenedContainerProps,
  HealthcheckProps,
  LoggingProps,
  MountProps,
  TmpfsProps,
} from "./container/hardened-container-props";
export { HardenedService } from "./service/hardened-service";
export type {
  HardenedServiceProps,
  RollingUpdateProps,
  ServicePortProps,
  ServiceResourceProps,
  ServiceSecretProps,
} from "./service/hardened-service-props";
export { HardenedNetwork } from "./network/hardened-network";
export type { HardenedNetworkDriver, HardenedNetworkProps } from "./network/hardened-network-props";
export type { AuditProps } from "./audit/audit-props";
export { fixedClock } from "./audit/clock";
export type { Clock } from "./audit/clock";
export { ContainerImage } from "./image/container-image";
export type { RegistryTagOptions, SignedImageOptions } from "./image/container-image";
export { REQUIRE_SIGNED_IMAGES_CONTEXT } from "./image/signed-images-context";
export { TRUSTED_REGISTRIES_CONTEXT } from "./policy/facts/defaults";
export { HardenedDockerValidationError } from "./validation/validation-error";
export type { ValidationProblem } from "./validation/validation-error";

// Relaxations: the only way to weaken a default, each with a reason.
export { Relax } from "./policy/relaxations";
export type {
  AddCapabilitiesRelaxation,
  AllowSyscallsRelaxation,
  ExecutableTmpfsRelaxation,
  NoHealthcheckRelaxation,
  PrivilegedPortsRelaxation,
  PublishOnAllInterfacesRelaxation,
  Relaxation,
  RelaxationKind,
  RunAsRootRelaxation,
  UntrustedRegistryRelaxation,
  WritableBindMountRelaxation,
  WritableRootFilesystemRelaxation,
} from "./policy/relaxations";
export type { Capability } from "./policy/facts/capabilities";

// Seccomp: the shipped profile and the builder for a custom one.
export { SeccompProfile } from "./policy/seccomp/seccomp-profile";
export { SeccompProfileError } from "./policy/seccomp/seccomp-profile-error";
export type {
  SeccompAction,
  SeccompArch,
  SeccompArchMapEntry,
  SeccompArg,
  SeccompFilter,
  SeccompOperator,
  SeccompProfileJson,
  SeccompSyscallRule,
} from "./policy/seccomp/profile-types";
export type { SyscallAccess } from "./policy/seccomp/syscall-access";

// The policy API. Rules: the model they read and what they return.
export type { Level, Rule, RuleContext, Status, Verdict } from "./policy/rule";
export type { Subject, SubjectKind } from "./policy/subjects";
export type {
  ContainerModel,
  HealthcheckModel,
  ImageModel,
  MountModel,
  PortModel,
  UlimitModel,
} from "./policy/model";
export { isUnknown, Unknown } from "./policy/unknown";
export type { Maybe } from "./policy/unknown";
// Packs.
export { DEFAULT_RULES } from "./policy/pack";
// Checks, suppressions and findings.
export { checkApp, checkStack, HardenedDockerChecks } from "./checks/app-checks";
export type { HardenedDockerChecksOptions } from "./checks/app-checks";
export { evaluate, PolicyOptionsError } from "./policy/engine";
export type { EvaluateOptions } from "./policy/engine";
export { Suppressions } from "./checks/suppressions";
export type { Suppression, SuppressionInput, WaiverSource } from "./policy/suppressions";
export { DEFAULT_NON_WAIVABLE, DEFAULT_TEAM_POLICY } from "./policy/team-policy";
export type { TeamPolicy } from "./policy/team-policy";
export { loadTeamPolicy } from "./checks/team-policy-file";
export { blockingFindings } from "./policy/findings";
export type { BlockingOptions, Finding, FindingSuppression } from "./policy/findings";
// Reports.
export { renderReport, writeReports } from "./policy/reports";
export type { ReportFormat, ReportOptions, WrittenReports } from "./policy/reports";
export { renderTextReport } from "./policy/reports/text";
export type { TextReportOptions } from "./policy/reports/text";
export { buildJsonReport, renderJsonReport } from "./policy/reports/json";
export type { JsonReport } from "./policy/reports/json";
export { buildSarifReport, renderSarifReport } from "./policy/reports/sarif";
export type { SarifReportOptions } from "./policy/reports/sarif";
