/**
 * What `hardened-docker init --template <name>` can start from: the default single container, or
 * one of the stacks in `examples/` (shipped in the package), copied into the new project with its
 * README and instantiated by the generated main.ts. test/package/templates.test.ts instantiates
 * every example folder the same way, so a template that needs an edit after copying fails there.
 */

/** One template a project can start from. */
export interface ScaffoldTemplate {
  /** The `--template` value, and the folder under `examples/` (none for `container`). */
  readonly name: string;
  /** One line for `--help` and the README. */
  readonly summary: string;
  /** The stack class the folder exports (none for `container`, whose main.ts holds the stack). */
  readonly stackClass?: string;
  /**
   * The stack's props in main.ts, as TypeScript source: `image` and `expires` are constants
   * main.ts declares (the image pinned by digest, the last day it may run).
   */
  readonly props?: string;
}

/** The template `init` uses when none is named. */
export const DEFAULT_TEMPLATE = "container";

export const SCAFFOLD_TEMPLATES: readonly ScaffoldTemplate[] = [
  {
    name: DEFAULT_TEMPLATE,
    summary: "one HardenedContainer on its own bridge network, port 8080 on 127.0.0.1:18080",
  },
  {
    name: "web-api",
    summary: "an HTTP service on 127.0.0.1:18080, own bridge network, inter-container traffic off",
    stackClass: "WebServiceStack",
    props: "{ image, expires }",
  },
  {
    name: "worker",
    summary: "a background worker with no network at all",
    stackClass: "WorkerStack",
    props: "{ image, expires }",
  },
  {
    name: "scheduled-job",
    summary: "a job run on an interval, unhealthy when its last success is too old",
    stackClass: "ScheduledJobStack",
    props: "{ image, expires }",
  },
  {
    name: "cache",
    summary: "an in-memory cache on an internal network, no published port",
    stackClass: "CacheStack",
    props: "{ image, expires }",
  },
  {
    name: "database",
    summary: "a database as uid 999, its data on a named local volume, the password as a file",
    stackClass: "DatabaseStack",
    props:
      "{\n  image,\n  expires,\n" +
      "  // A file on the deploying host, mounted read-only; POSTGRES_PASSWORD_FILE names it.\n" +
      '  passwordFile: "/srv/secrets/db-password",\n}',
  },
  {
    name: "relaxed-legacy",
    summary: "host port 80 and an executable tmpfs, each a typed relaxation with its reason",
    stackClass: "RelaxedLegacyStack",
    props: "{ image, expires }",
  },
  {
    name: "swarm-two-tier",
    summary: "Docker Swarm: a web service and an API on an encrypted overlay, a secret as a file",
    stackClass: "SwarmTwoTierStack",
    props:
      "{\n  webImage: image,\n  apiImage: image,\n  expires,\n" +
      "  // From your secret store in CI; the value lands in the Terraform state like every docker_secret.\n" +
      '  dbPassword: process.env.DB_PASSWORD ?? "placeholder-set-DB_PASSWORD",\n}',
  },
];

/** The template named `name`, or undefined. */
export function scaffoldTemplate(name: string): ScaffoldTemplate | undefined {
  return SCAFFOLD_TEMPLATES.find((t) => t.name === name);
}
