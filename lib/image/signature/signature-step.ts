/**
 * The image-signature step. Before a container (or service) whose image names trusted keys is
 * created, a built-in `terraform_data` resource runs, in its `local-exec` provisioner,
 * `hardened-docker verify-image <repository>@<digest> --key-env HARDENED_DOCKER_TRUSTED_KEYS`,
 * with the PEM keys in that environment variable; the container `depends_on` it, so an image no
 * trusted key signed fails the deploy before anything runs. This module is the single definition
 * of the step's shape: the construct renders it, and the `up` harness recognises it here.
 */

/** The environment variable the step passes the trusted PEM keys in. */
export const TRUSTED_KEYS_ENV = "HARDENED_DOCKER_TRUSTED_KEYS";

/** The program the step runs: the CLI of this package, which must be on the deployer's PATH. */
export const VERIFY_PROGRAM = "hardened-docker";

/** The shell command the provisioner runs. `reference` may hold a Terraform reference. */
export function verifyImageCommand(reference: string): string {
  return `${VERIFY_PROGRAM} verify-image ${reference} --key-env ${TRUSTED_KEYS_ENV}`;
}

const COMMAND_RE = new RegExp(
  `^${VERIFY_PROGRAM} verify-image (\\S+) --key-env ${TRUSTED_KEYS_ENV}$`,
);

/** An image-signature step found in synthesized JSON (references possibly resolved). */
export interface SignatureStep {
  /** `repository@sha256:...`, or a reference expression not resolved yet. */
  readonly reference: string;
  /** The trusted keys, PEM text (one or more blocks). */
  readonly keysPem: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Recognises a `terraform_data` body as an image-signature step by the command its single
 * `local-exec` provisioner runs and the keys in its environment. Undefined for anything else.
 */
export function parseSignatureStep(resource: unknown): SignatureStep | undefined {
  if (!isRecord(resource) || !Array.isArray(resource.provisioner)) return undefined;
  if (resource.provisioner.length !== 1) return undefined;
  const entry: unknown = resource.provisioner[0];
  const localExec = isRecord(entry) ? entry["local-exec"] : undefined;
  if (!isRecord(localExec) || typeof localExec.command !== "string") return undefined;
  const match = COMMAND_RE.exec(localExec.command.trim());
  if (!match) return undefined;
  const environment = isRecord(localExec.environment) ? localExec.environment : {};
  const keysPem = environment[TRUSTED_KEYS_ENV];
  if (typeof keysPem !== "string") return undefined;
  return { reference: match[1], keysPem };
}
