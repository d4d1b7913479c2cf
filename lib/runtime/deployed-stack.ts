/** What `upStack` created (or reused), by resource address. */
export interface DeployedObject {
  /** Resource address in the stack, e.g. `docker_container.api_container_1A2B3C4D`. */
  readonly resource: string;
  /** Engine name: container, network or volume name, or the image reference. */
  readonly name: string;
  /** Engine ID (for images `sha256:...`; for volumes the volume name). */
  readonly id: string;
}

export interface DeployedImage extends DeployedObject {
  /** True when this `up` pulled it (it was not present before). */
  readonly pulled: boolean;
}

export interface ResolvedDigest {
  readonly resource: string;
  /** `registry/repo:tag` as written. */
  readonly name: string;
  /** `sha256:<hex>` served by the registry. */
  readonly digest: string;
}

export interface AppliedPidsLimit {
  readonly resource: string;
  /** The container's address. */
  readonly container: string;
  readonly limit: number;
}

/** An image-signature step `up` ran and passed. */
export interface VerifiedSignature {
  readonly resource: string;
  /** `repository@sha256:...` verified. */
  readonly reference: string;
  /** Fingerprint of the key whose signature covers it. */
  readonly key: string;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly networks: readonly DeployedObject[];
  readonly volumes: readonly DeployedObject[];
  readonly images: readonly DeployedImage[];
  readonly registryDigests: readonly ResolvedDigest[];
  readonly containers: readonly DeployedObject[];
  readonly pidsLimits: readonly AppliedPidsLimit[];
  /** Image signatures verified before the containers that depend on them were created. */
  readonly signatures: readonly VerifiedSignature[];
  /** Swarm secrets (`docker_secret`): name and secret ID. */
  readonly secrets: readonly DeployedObject[];
  /** Swarm services (`docker_service`): name and service ID. */
  readonly services: readonly DeployedObject[];
}

/** What `downStack` removed. */
export interface RemovedStack {
  readonly stackName: string;
  readonly containers: readonly string[];
  readonly networks: readonly string[];
  readonly volumes: readonly string[];
  readonly images: readonly string[];
  /** Names of the Swarm services removed (before their networks, once their tasks were gone). */
  readonly services: readonly string[];
  /** Names of the Swarm secrets removed. */
  readonly secrets: readonly string[];
}
