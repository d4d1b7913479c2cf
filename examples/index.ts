/**
 * The example stacks: small, copyable starting points. Each takes its image reference as an
 * input (main.ts passes real-world defaults; the end-to-end suite passes local images).
 */
export { ExampleStackProps, defaultExpiry } from "./example-defaults";
export { WebServiceStack } from "./web-service";
export { WorkerStack } from "./worker";
export { RelaxedLegacyStack } from "./relaxed-legacy";
export { InsecureRawStack } from "./insecure-raw";
