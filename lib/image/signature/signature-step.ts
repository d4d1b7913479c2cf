import { isRecord } from "../../validation/is-record";
/**
 * The image-signature step. Before a container (or service) whose image names trusted keys is
 * created, a built-in `terraform_data` resource runs, in its `local-exec` provisioner,
 * `hardened-docker verify-image "$HARDENED_DOCKER_VERIFY_IMAGE" --key-env HARDENED_DOCKER_TRUSTED_KEYS`,
 * with `<repository>@<digest>` and the PEM keys in those environment variables; the container `depends_on` it, so an image no
 * trusted key signed fails the deploy before anything runs. This module is the single definition
 * of the step's shape: the construct renders it, and {@link parseSignatureStep} recognises it.
 */

/** The environment variable the step passes the trusted PEM keys in. */
export const TRUSTED_KEYS_ENV = "HARDENED_DOCKER_TRUSTED_KEYS";

/** The program the step runs: the CLI of this package, which must be on the deployer's PATH. */
export const VERIFY_PROGRAM = "hardened-docker";

/**
 * The environment variable the step passes the image reference in. The reference of a
 * `fromRegistryTag` image holds the digest the registry answered at plan time; written into the
 * shell command, a registry that answers `sha256:...;<command>` would run that command on the
 * deploying machine. In the environment, the shell never parses it, and `verify-image` refuses
 * anything that is not `name@sha256:<64 hex>`.
 */
export const IMAGE_ENV = "HARDENED_DOCKER_VERIFY_IMAGE";

/** The shell command the provisioner runs: constant, the reference comes from {@link IMAGE_ENV}. */
export const VERIFY_IMAGE_COMMAND = `${VERIFY_PROGRAM} verify-image "$${IMAGE_ENV}" --key-env ${TRUSTED_KEYS_ENV}`;

/** An image-signature step found in synthesized JSON (references possibly resolved). */
export interface SignatureStep {
  /** `repository@sha256:...`, or a reference expression not resolved yet. */
  readonly reference: string;
  /** The trusted keys, PEM text (one or more blocks). */
  readonly keysPem: string;
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
  if (localExec.command.trim() !== VERIFY_IMAGE_COMMAND) return undefined;
  const environment = isRecord(localExec.environment) ? localExec.environment : {};
  const keysPem = environment[TRUSTED_KEYS_ENV];
  const reference = environment[IMAGE_ENV];
  if (typeof keysPem !== "string" || typeof reference !== "string") return undefined;
  return { reference, keysPem };
}
