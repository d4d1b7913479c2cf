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
 * Inputs: HD_WEB_IMAGE, HD_WORKER_IMAGE, HD_JOB_IMAGE, HD_CACHE_IMAGE, HD_LEGACY_IMAGE,
 * HD_DATABASE_IMAGE, HD_DB_PASSWORD (the Swarm template's secret), HD_DB_PASSWORD_FILE (the host
 * file the database template mounts) and HD_TRUSTED_REGISTRIES.
 *
 * The end-to-end suite deploys the same stack classes with images it builds and pushes to a
 * local registry (127.0.0.1:5000/...@sha256:...).
 */
import { readFileSync } from "fs";
import { App } from "cdktf";
import {
  CacheStack,
  DatabaseStack,
  RelaxedLegacyStack,
  ScheduledJobStack,
  SwarmTwoTierStack,
  WebServiceStack,
  WorkerStack,
  defaultExpiry,
} from "./examples";
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
  job: imageFromEnv(
    "HD_JOB_IMAGE",
    "registry.example.com/jobs/rotate@sha256:7d9f1b3e5a7c9e1d3f5b7a9c1e3d5f7b9a1c3e5d7f9b1a3c5e7d9f1b3a5c7e9d",
  ),
  cache: imageFromEnv(
    "HD_CACHE_IMAGE",
    "registry.example.com/cache/sessions@sha256:3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c",
  ),
  database: imageFromEnv(
    "HD_DATABASE_IMAGE",
    "registry.example.com/data/postgres@sha256:5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a7c9b1d3f5e7a",
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
  // A demo date, always ahead; a real service writes a fixed one (see examples/*/README.md).
  const expires = defaultExpiry();
  new WebServiceStack(app, "web-service", { image: IMAGES.web, expires });
  new WorkerStack(app, "worker", { image: IMAGES.worker, expires });
  new RelaxedLegacyStack(app, "relaxed-legacy", { image: IMAGES.legacy, expires });
  new ScheduledJobStack(app, "scheduled-job", { image: IMAGES.job, expires });
  new CacheStack(app, "cache", { image: IMAGES.cache, expires });
  new DatabaseStack(app, "database", {
    image: IMAGES.database,
    expires,
    // A file on the deploying host, readable by uid 999 only; its path is not a secret.
    passwordFile: process.env.HD_DB_PASSWORD_FILE ?? "/srv/secrets/orders-db-password",
  });
  new SwarmTwoTierStack(app, "swarm-two-tier", {
    webImage: IMAGES.web,
    apiImage: IMAGES.worker,
    expires,
    // Read from your secret store in CI; the value lands in the Terraform state like every
    // docker_secret. The placeholder only lets the example synthesize.
    dbPassword: process.env.HD_DB_PASSWORD ?? "placeholder-set-HD_DB_PASSWORD",
  });
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
