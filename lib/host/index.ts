/**
 * The live-host commands' library: audit the containers of a Docker Engine with the policy
 * engine's rules, take an inventory of them, and compare them with synthesized stacks (drift).
 */
export { EngineClient, EngineContainer, connectEngine, engineAddress } from "./engine-client";
export { EngineUnavailableError, classifyEngineError, EngineFailure } from "./engine-errors";
export {
  ContainerFilters,
  FilterSyntaxError,
  containerFilters,
  parseContainerFilter,
} from "./container-filters";
export { ContainerSummary, readContainerSummary } from "./container-summary";
export {
  ContainerRead,
  DEFAULT_CONCURRENCY,
  MAX_CONCURRENCY,
  ReadContainersOptions,
  ReadContainersResult,
  listContainerSummaries,
  readContainers,
} from "./read-containers";
export { HostSecurity, hostSecurity } from "./host-security";
export {
  HostProcesses,
  HostProcessReader,
  hostProcessReader,
  isLocalEngine,
} from "./host-process-list";
export { HostAuditOptions, HostAuditOptionsError, HostAuditResult, auditHost } from "./host-audit";
export {
  AuditLabelValues,
  DEPLOYED_AT_LABEL,
  RecordedRelaxation,
  cleanText,
  readAuditLabels,
} from "./label-values";
export { parseWithinDays, DurationSyntaxError } from "./duration";
export {
  INVENTORY_FLAGS,
  InventoryEntry,
  InventoryFlag,
  InventoryReport,
  buildInventory,
  inventoryReportSchema,
  renderInventoryTable,
} from "./inventory";
export {
  DRIFT_FIELDS,
  DriftEntry,
  DriftReport,
  DriftResult,
  compareModels,
  detectDrift,
  driftReportSchema,
  hasDrift,
  renderDriftText,
} from "./drift";
