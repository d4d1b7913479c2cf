/**
 * The policy engine: the normalized container model, the rule interface, the default pack, the
 * engine with its levels and reasoned, expiring suppressions, the app-wide check for cdktf apps
 * and the text / JSON / SARIF reports.
 */
export {
  ContainerModel,
  HealthcheckModel,
  ImageModel,
  MountModel,
  PortModel,
  UlimitModel,
} from "./model";
export { isUnknown, Maybe, Unknown } from "./unknown";
export { Level, Rule, RuleContext, Status, Verdict } from "./rule";
export { DEFAULT_RULES } from "./pack";
export { modelsFromTerraformJson } from "./adapters/terraform-json";
export { modelFromInspect } from "./adapters/inspect";
export { modelFromServiceSpec, ServiceSpecOptions } from "./adapters/service-spec";
export { SERVICE_NOT_ENFORCEABLE } from "./service-limits";
export { loadSynthesizedStacks, SynthInputError } from "../synth";
export { auditStacks, AuditStacksOptions, StackToAudit, stackFromObject } from "./audit-stacks";
export {
  ENGINE_RULES,
  evaluate,
  EvaluateOptions,
  INPUT_PROBLEM_RULE,
  inputProblemFinding,
  PolicyOptionsError,
  RuleMetadata,
  SUPPRESSION_EXPIRED_RULE,
} from "./engine";
export {
  blockingFindings,
  BlockingOptions,
  countByStatus,
  Finding,
  FindingSuppression,
  isAtLeast,
  LEVELS,
} from "./findings";
export {
  isExpired,
  isUnderScope,
  LabelSuppressionOptions,
  Suppression,
  SuppressionInput,
  Suppressions,
  SUPPRESSION_METADATA_TYPE,
  suppressionsFromLabels,
} from "./suppressions";
export {
  checkApp,
  checkStack,
  HardenedDockerChecks,
  HardenedDockerChecksOptions,
} from "./app-checks";
export {
  buildJsonReport,
  buildSarifReport,
  JsonReport,
  jsonReportSchema,
  REPORT_FORMATS,
  renderJsonReport,
  renderReport,
  renderSarifReport,
  renderTextReport,
  ReportFormat,
  ReportOptions,
  SARIF_SCHEMA_URI,
  SarifReportOptions,
  TextReportOptions,
  TOOL_NAME,
  toolVersion,
  writeReports,
  WrittenReports,
} from "./reports";
