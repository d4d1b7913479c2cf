/**
 * Templates a team copies to start a new service: one folder each, with a README saying what it
 * is hardened against and which relaxations it needs. Each stack takes its image references as
 * inputs (main.ts passes production-shaped placeholders; the end-to-end suite passes local
 * images).
 */
export { defaultExpiry } from "./example-defaults";
export { WebServiceStack, WebServiceStackProps } from "./web-api";
export { WorkerStack, WorkerStackProps } from "./worker";
export { ScheduledJobStack, ScheduledJobStackProps } from "./scheduled-job";
export { CacheStack, CacheStackProps } from "./cache";
export { RelaxedLegacyStack, RelaxedLegacyStackProps } from "./relaxed-legacy";
export { SwarmTwoTierStack, SwarmTwoTierStackProps } from "./swarm-two-tier";
export { InsecureRawStack } from "./insecure-raw";
export { DatabaseStack, DatabaseStackProps, DATABASE_PASSWORD_PATH } from "./database";
