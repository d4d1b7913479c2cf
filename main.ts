/**
 * The default cdktf app (`npx cdktf synth` or `npm start`): synthesizes the example stacks into
 * cdktf.out/, checks every container in them against the CIS Docker rule pack and prints the
 * policy report (also written to cdktf.out/hardened-docker/report.{txt,json,sarif}).
 *
 * Each example takes its image as an input. The defaults below are placeholders in the shape
 * production uses (a registry you trust, pinned by digest); your CI sets the real references:
 *
 *   HD_WEB_IMAGE=registry.example.com/web/site@sha256:<digest> npm start
 *
 * The end-to-end suite deploys the same stack classes with images it builds and pushes to a
 * local registry (127.0.0.1:5000/...@sha256:...).
 */
import { readFileSync } from "fs";
import { App } from "cdktf";
import { RelaxedLegacyStack, WebServiceStack, WorkerStack } from "./examples";
import { HardenedDockerChecks, TRUSTED_REGISTRIES_CONTEXT } from "./lib";

/** Image references, by environment variable, with their documented defaults. */
const IMAGES = {
  web: imageFromEnv(
    "HD_WEB_IMAGE",
    "registry.example.com/web/site@sha256:4c1f3d0e3a7b9b6a2d5e8f0a1c3b5d7e9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e",
  ),
  worker: imageFromEnv(
    "HD_WORKER_IMAGE",
    "registry.example.com/jobs/worker@sha256:9e7c5a3f1d9b7e5c3a1f9d7b5e3c1a9f7d5b3e1c9a7f5d3b1e9c7a5f3d1b9e7c",
  ),
  legacy: imageFromEnv(
    "HD_LEGACY_IMAGE",
    "registry.example.com/intranet/portal@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d",
  ),
};

/**
 * Registries images may come from (CIS 4.2), comma-separated in HD_TRUSTED_REGISTRIES.
 * HardenedContainer refuses other registries at synth time and the rule pack flags raw
 * containers that use them.
 */
const TRUSTED_REGISTRIES = (process.env.HD_TRUSTED_REGISTRIES ?? "registry.example.com/")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "");

function imageFromEnv(variable: string, fallback: string): string {
  const value = process.env[variable];
  return value !== undefined && value.trim() !== "" ? value.trim() : fallback;
}

function main(): void {
  const app = new App({ context: { [TRUSTED_REGISTRIES_CONTEXT]: TRUSTED_REGISTRIES } });
  HardenedDockerChecks.applyTo(app);
  new WebServiceStack(app, "web-service", { image: IMAGES.web });
  new WorkerStack(app, "worker", { image: IMAGES.worker });
  new RelaxedLegacyStack(app, "relaxed-legacy", { image: IMAGES.legacy });
  try {
    app.synth();
  } finally {
    const reports = HardenedDockerChecks.reportsOf(app);
    if (reports !== undefined) {
      process.stdout.write(readFileSync(reports.text, "utf8"));
      process.stdout.write(`\nReports: ${reports.text}, ${reports.json}, ${reports.sarif}\n`);
    }
  }
}

try {
  main();
} catch (error) {
  // Bad input and blocking findings: the message names construct path, field, value and fix.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
