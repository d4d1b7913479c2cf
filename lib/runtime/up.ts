import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { parseAttributes } from "./block-schemas";
import { containerAttributesSchema, type ContainerAttributes } from "./container-attributes";
import {
  containerLifecycle,
  networkAttachments,
  toContainerCreateOptions,
  type ContainerLifecycle,
} from "./container-create-options";
import type {
  AppliedPidsLimit,
  DeployedImage,
  DeployedObject,
  DeployedStack,
  ResolvedDigest,
  VerifiedSignature,
} from "./deployed-stack";
import { ensureImage, removeContainer, sleep, tailLogs } from "./engine-calls";
import { DeploymentError, StackInputError, engineMessage, engineStatus } from "./errors";
import { toNetworkCreateOptions, toVolumeCreateOptions } from "./network-volume-create-options";
import { resolveReferences } from "./references";
import { resolveRegistryDigest } from "./registry-digest";
import { parseSignatureStep } from "../image/signature/signature-step";
import { parsePublicKey, pemBlocks } from "../image/signature/public-key";
import { verifyImageSignature, type SignatureVerdict } from "../image/signature/verify-signature";
import {
  imageAttributesSchema,
  networkAttributesSchema,
  registryImageAttributesSchema,
  volumeAttributesSchema,
} from "./resource-schemas";
import { toSecretCreateOptions, toServiceCreateOptions } from "./service-create-options";
import { planStack, swarmResources, type PlannedResource, type StackPlan } from "./stack-plan";
import {
  removeNetworkWhenReleased,
  removeServiceAndWait,
  removeServicesAndWait,
  requireSwarmManager,
} from "./swarm-calls";
import { secretAttributesSchema, serviceAttributesSchema } from "./swarm-schemas";
import { UpLabel, stackLabelFilters } from "./up-labels";
import { resolveUpOptions, type ResolvedUpOptions, type UpOptions } from "./up-options";

/** How long a started container must stay running before `must_run` is satisfied. */
const SETTLE_MS = 500;
/** Poll interval while waiting for running / healthy. */
const POLL_MS = 100;
/** The provider's `container_read_refresh_timeout_milliseconds` default. */
const DEFAULT_RUNNING_TIMEOUT_MS = 15_000;

type Labels = Readonly<Record<string, string>>;

/** Existing Engine objects `up` may replace or reuse because an earlier `up` of this stack made them. */
interface Existing {
  readonly containers: Map<string, string>;
  readonly networks: Map<string, string>;
  readonly volumes: Set<string>;
  readonly services: Map<string, string>;
  /** Secret name -> ID and the SHA-256 of its data recorded by that `up`. */
  readonly secrets: Map<string, { id: string; sha256?: string }>;
}

function hasLabels(actual: Record<string, string> | undefined | null, wanted: Labels): boolean {
  return Object.entries(wanted).every(([k, v]) => actual?.[k] === v);
}

function literalName(resource: PlannedResource): string | undefined {
  const name = resource.attributes.name;
  return typeof name === "string" && !name.includes("${") ? name : undefined;
}

class UpRun {
  private readonly docker: Docker;
  private readonly ownership: Labels;
  private readonly values = new Map<string, Record<string, string>>();
  private readonly existing: Existing = {
    containers: new Map(),
    networks: new Map(),
    volumes: new Set(),
    services: new Map(),
    secrets: new Map(),
  };
  private readonly created = {
    containers: [] as string[],
    networks: [] as string[],
    volumes: [] as string[],
    services: [] as string[],
    secrets: [] as string[],
  };
  /** Image references `up` pulled with `keep_locally = false`: `down` removes them. */
  private readonly removeImages: string[] = [];
  /** Such references recorded on the stack's containers by an earlier `up`. */
  private readonly previouslyPulled = new Set<string>();
  private readonly networks: DeployedObject[] = [];
  private readonly volumes: DeployedObject[] = [];
  private readonly images: DeployedImage[] = [];
  private readonly digests: ResolvedDigest[] = [];
  private readonly containers: DeployedObject[] = [];
  private readonly pidsLimits: AppliedPidsLimit[] = [];
  private readonly signatures: VerifiedSignature[] = [];
  private readonly services: DeployedObject[] = [];
  private readonly secrets: DeployedObject[] = [];

  constructor(
    private readonly plan: StackPlan,
    private readonly options: ResolvedUpOptions,
  ) {
    this.docker = options.docker;
    this.ownership = { ...options.labels, [UpLabel.stack]: plan.stackName };
  }

  /**
   * Finds name clashes before anything is created. Objects an earlier `up` of this stack
   * created (same stack label and extra labels) are replaced (containers) or reused (networks,
   * volumes: their data survives); anything else with the same name is refused.
   */
  async preflight(): Promise<void> {
    const clash = (what: string, name: string, resource: string) =>
      new DeploymentError(
        `${resource}: a ${what} named ${name} already exists and was not created by up for stack ${this.plan.stackName}; nothing was created: remove or rename it`,
      );
    const swarm = swarmResources(this.plan);
    if (swarm.length > 0) await requireSwarmManager(this.docker, swarm);
    const stackContainers = await this.docker.listContainers({
      all: true,
      filters: { label: stackLabelFilters(this.plan.stackName, this.options.labels) },
    });
    for (const c of stackContainers) {
      for (const ref of (c.Labels?.[UpLabel.removeImages] ?? "").split(",")) {
        if (ref) this.previouslyPulled.add(ref);
      }
    }
    for (const resource of this.plan.resources) {
      const name = literalName(resource);
      if (name === undefined) continue;
      if (resource.kind === "container") {
        const found = await this.docker.listContainers({ all: true, filters: { name: [name] } });
        const same = found.find((c) => c.Names.includes(`/${name}`));
        if (!same) continue;
        if (!hasLabels(same.Labels, this.ownership))
          throw clash("container", name, resource.address);
        this.existing.containers.set(name, same.Id);
      } else if (resource.kind === "network") {
        const found = await this.docker.listNetworks({ filters: { name: [name] } });
        const same = found.find((n) => n.Name === name);
        if (!same) continue;
        if (!hasLabels(same.Labels, this.ownership)) throw clash("network", name, resource.address);
        this.existing.networks.set(name, same.Id);
      } else if (resource.kind === "volume") {
        let info: Docker.VolumeInspectInfo | undefined;
        try {
          info = await this.docker.getVolume(name).inspect();
        } catch (error) {
          if (engineStatus(error) !== 404) throw error;
        }
        if (!info) continue;
        if (!hasLabels(info.Labels, this.ownership)) throw clash("volume", name, resource.address);
        this.existing.volumes.add(name);
      } else if (resource.kind === "service") {
        const found = await this.docker.listServices({ filters: { name: [name] } });
        const same = found.find((x) => x.Spec?.Name === name);
        if (!same?.ID) continue;
        if (!hasLabels(same.Spec?.Labels, this.ownership))
          throw clash("service", name, resource.address);
        this.existing.services.set(name, same.ID);
      } else if (resource.kind === "secret") {
        const found = await this.docker.listSecrets({ filters: { name: [name] } });
        const same = found.find((x) => x.Spec?.Name === name);
        if (!same?.ID) continue;
        const labels = same.Spec?.Labels ?? {};
        if (!hasLabels(labels, this.ownership)) throw clash("secret", name, resource.address);
        this.existing.secrets.set(name, { id: same.ID, sha256: labels[UpLabel.dataSha256] });
      }
    }
  }

  private resolve(resource: PlannedResource): unknown {
    return resolveReferences(
      resource.attributes,
      (reference, path) => {
        const value = this.values.get(reference.address)?.[reference.attribute];
        if (value === undefined) {
          throw new StackInputError(
            `${resource.address}: attribute ${path}: ${reference.expression} has no value (the referenced resource was not created before it)`,
          );
        }
        return value;
      },
      (expression, path) => {
        throw new StackInputError(
          `${resource.address}: attribute ${path}: cannot evaluate ${expression}`,
        );
      },
    );
  }

  private labelsFor(resource: PlannedResource, extra: Labels = {}): Labels {
    return { ...this.ownership, [UpLabel.resource]: resource.address, ...extra };
  }

  async deploy(): Promise<DeployedStack> {
    for (const resource of this.plan.resources) {
      try {
        await this.deployOne(resource);
      } catch (error) {
        if (error instanceof StackInputError || error instanceof DeploymentError) throw error;
        throw new DeploymentError(
          `${resource.address}: the Engine refused: ${engineMessage(error)}`,
        );
      }
    }
    return {
      stackName: this.plan.stackName,
      networks: this.networks,
      volumes: this.volumes,
      images: this.images,
      registryDigests: this.digests,
      containers: this.containers,
      pidsLimits: this.pidsLimits,
      signatures: this.signatures,
      secrets: this.secrets,
      services: this.services,
    };
  }

  private async deployOne(resource: PlannedResource): Promise<void> {
    const log = this.options.log;
    switch (resource.kind) {
      case "network": {
        const attrs = parseAttributes(
          resource.address,
          networkAttributesSchema,
          this.resolve(resource),
        );
        let id = this.existing.networks.get(attrs.name);
        if (id) {
          log(`reused network ${attrs.name} (${resource.address})`);
        } else {
          const network = await this.docker.createNetwork(
            toNetworkCreateOptions(attrs, this.labelsFor(resource)),
          );
          id = network.id;
          this.created.networks.push(id);
          log(`created network ${attrs.name} (${resource.address})`);
        }
        this.values.set(resource.address, { id, name: attrs.name });
        this.networks.push({ resource: resource.address, name: attrs.name, id });
        return;
      }
      case "volume": {
        const attrs = parseAttributes(
          resource.address,
          volumeAttributesSchema,
          this.resolve(resource),
        );
        let name = attrs.name;
        if (name && this.existing.volumes.has(name)) {
          log(`reused volume ${name} (${resource.address})`);
        } else {
          const volume: unknown = await this.docker.createVolume(
            toVolumeCreateOptions(attrs, this.labelsFor(resource)),
          );
          name =
            (volume as { name?: string; Name?: string }).name ??
            (volume as { Name?: string }).Name ??
            name;
          if (!name)
            throw new DeploymentError(`${resource.address}: the Engine returned no volume name`);
          this.created.volumes.push(name);
          log(`created volume ${name} (${resource.address})`);
        }
        this.values.set(resource.address, { id: name, name });
        this.volumes.push({ resource: resource.address, name, id: name });
        return;
      }
      case "registry-image": {
        const attrs = parseAttributes(
          resource.address,
          registryImageAttributesSchema,
          this.resolve(resource),
        );
        let digest: string;
        try {
          digest = await resolveRegistryDigest(attrs.name, {
            scheme: this.options.registryScheme,
            insecureSkipVerify: attrs.insecure_skip_verify,
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new DeploymentError(`${resource.address}: ${message}`);
        }
        this.values.set(resource.address, { id: digest, name: attrs.name, sha256_digest: digest });
        this.digests.push({ resource: resource.address, name: attrs.name, digest });
        log(`resolved ${attrs.name} to ${digest} (${resource.address})`);
        return;
      }
      case "image": {
        const attrs = parseAttributes(
          resource.address,
          imageAttributesSchema,
          this.resolve(resource),
        );
        const { image, pulled } = await this.ensureImage(resource, attrs.name, attrs.platform);
        // Recorded by reference, not ID: removing the reference `up` pulled leaves other tags of
        // the same image alone. A reference an earlier `up` of this stack pulled stays recorded.
        if (!attrs.keep_locally && (pulled || this.previouslyPulled.has(attrs.name))) {
          this.removeImages.push(attrs.name);
        }
        const repository = attrs.name.replace(/[@:][^/]*$/, "");
        const repoDigest =
          (image.RepoDigests ?? []).find((d) => d.startsWith(`${repository}@`)) ??
          image.RepoDigests?.[0] ??
          "";
        this.values.set(resource.address, {
          image_id: image.Id,
          name: attrs.name,
          repo_digest: repoDigest,
        });
        this.images.push({ resource: resource.address, name: attrs.name, id: image.Id, pulled });
        log(
          `${pulled ? "pulled" : "found"} image ${attrs.name} = ${image.Id} (${resource.address})`,
        );
        return;
      }
      case "container": {
        const attrs = parseAttributes(
          resource.address,
          containerAttributesSchema,
          this.resolve(resource),
        );
        await this.deployContainer(resource, attrs);
        return;
      }
      case "secret": {
        const attrs = parseAttributes(
          resource.address,
          secretAttributesSchema,
          this.resolve(resource),
        );
        const sha256 = createHash("sha256").update(Buffer.from(attrs.data, "base64")).digest("hex");
        const previous = this.existing.secrets.get(attrs.name);
        let id: string;
        if (previous && previous.sha256 === sha256) {
          id = previous.id;
          log(`reused secret ${attrs.name} (${resource.address})`);
        } else if (previous) {
          throw new DeploymentError(
            `${resource.address}: secret ${attrs.name} from an earlier up of stack ${this.plan.stackName} holds different data, and a Swarm secret cannot be changed; nothing was created: run down for the stack first`,
          );
        } else {
          const body = toSecretCreateOptions(
            attrs,
            this.labelsFor(resource, { [UpLabel.dataSha256]: sha256 }),
          );
          const created: unknown = await this.docker.createSecret(body);
          id =
            (created as { id?: string; ID?: string }).id ?? (created as { ID?: string }).ID ?? "";
          if (!id)
            throw new DeploymentError(`${resource.address}: the Engine returned no secret ID`);
          this.created.secrets.push(id);
          log(`created secret ${attrs.name} (${resource.address})`);
        }
        this.values.set(resource.address, { id, name: attrs.name });
        this.secrets.push({ resource: resource.address, name: attrs.name, id });
        return;
      }
      case "service": {
        const attrs = parseAttributes(
          resource.address,
          serviceAttributesSchema,
          this.resolve(resource),
        );
        const previous = this.existing.services.get(attrs.name);
        if (previous) {
          await removeServiceAndWait(this.docker, previous);
          log(
            `removed previous service ${attrs.name} of stack ${this.plan.stackName} (replacing it)`,
          );
        }
        const body = toServiceCreateOptions(attrs, this.labelsFor(resource));
        let service: Docker.Service;
        try {
          // The body is a ServiceSpec with API 1.41 fields dockerode's typings lack.
          service = await this.docker.createService(body as unknown as Docker.CreateServiceOptions);
        } catch (error) {
          throw new DeploymentError(
            `${resource.address}: the Engine refused to create service ${attrs.name}: ${engineMessage(error)}`,
          );
        }
        this.created.services.push(service.id);
        this.values.set(resource.address, { id: service.id, name: attrs.name });
        this.services.push({ resource: resource.address, name: attrs.name, id: service.id });
        log(`created service ${attrs.name} ${service.id.slice(0, 12)} (${resource.address})`);
        return;
      }
      case "inert":
        return;
      case "image-signature": {
        await this.verifySignature(resource);
        return;
      }
      case "pids-limit": {
        const step = resource.pidsLimit;
        if (!step) throw new StackInputError(`${resource.address}: not a PIDs-limit step`);
        const containerAddress = `docker_container.${step.containerResourceName}`;
        const id = this.values.get(containerAddress)?.id;
        if (!id)
          throw new StackInputError(`${resource.address}: ${containerAddress} was not created`);
        // What `docker update --pids-limit N <id>` sends: POST /containers/{id}/update.
        await this.docker.getContainer(id).update({ PidsLimit: step.limit });
        this.pidsLimits.push({
          resource: resource.address,
          container: containerAddress,
          limit: step.limit,
        });
        log(`applied PIDs limit ${step.limit} to ${containerAddress} (${resource.address})`);
        return;
      }
    }
  }

  /**
   * What the step's `hardened-docker verify-image "$HARDENED_DOCKER_VERIFY_IMAGE" --key-env VAR` does, in-process: a
   * signature by one of the keys must cover the resolved digest, else the deploy stops here,
   * before anything that depends on the step (image pull, container) exists.
   */
  private async verifySignature(resource: PlannedResource): Promise<void> {
    const step = parseSignatureStep(this.resolve(resource));
    if (!step) {
      throw new StackInputError(`${resource.address}: not an image-signature step`);
    }
    const keys = pemBlocks(step.keysPem).map((pem) => parsePublicKey(pem));
    const bad = keys.find((k) => typeof k === "string");
    if (keys.length === 0 || typeof bad === "string") {
      throw new StackInputError(
        `${resource.address}: the trusted keys of the step are not PEM public keys${bad ? `: ${bad}` : ""}`,
      );
    }
    let verdict: SignatureVerdict;
    try {
      verdict = await verifyImageSignature(
        step.reference,
        keys.filter((k) => typeof k !== "string"),
        { scheme: this.options.registryScheme },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DeploymentError(
        `${resource.address}: cannot verify the signature of ${step.reference}: ${message}; nothing that depends on it was created`,
      );
    }
    if (!verdict.signed) {
      throw new DeploymentError(
        `${resource.address}: refused ${step.reference}: ${verdict.reason}; nothing that depends on it was created`,
      );
    }
    this.signatures.push({
      resource: resource.address,
      reference: step.reference,
      key: verdict.key,
    });
    this.options.log(`verified ${step.reference}: ${verdict.reason} (${resource.address})`);
  }

  private async ensureImage(resource: PlannedResource, reference: string, platform?: string) {
    try {
      return await ensureImage(this.docker, reference, platform);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DeploymentError(`${resource.address}: ${message}`);
    }
  }

  private async deployContainer(
    resource: PlannedResource,
    attrs: ContainerAttributes,
  ): Promise<void> {
    const log = this.options.log;
    const lifecycle = containerLifecycle(attrs);
    await this.ensureImage(resource, attrs.image);
    const previous = this.existing.containers.get(attrs.name);
    if (previous) {
      await removeContainer(this.docker.getContainer(previous), {
        stopTimeoutSeconds: lifecycle.destroyGraceSeconds,
      });
      log(
        `removed previous container ${attrs.name} of stack ${this.plan.stackName} (replacing it)`,
      );
    }
    const extra: Record<string, string> = {};
    if (this.removeImages.length > 0) extra[UpLabel.removeImages] = this.removeImages.join(",");
    const body = toContainerCreateOptions(attrs, this.labelsFor(resource, extra));
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(body);
    } catch (error) {
      throw new DeploymentError(
        `${resource.address}: the Engine refused to create container ${attrs.name}: ${engineMessage(error)}`,
      );
    }
    this.created.containers.push(container.id);
    const attachments = networkAttachments(attrs);
    if (attachments.length > 0) {
      try {
        await this.docker
          .getNetwork("bridge")
          .disconnect({ Container: container.id, Force: false });
      } catch {
        // Not on the default bridge (another network_mode): nothing to leave.
      }
      for (const { network, endpoint } of attachments) {
        if (body.HostConfig.NetworkMode === network) {
          await this.docker
            .getNetwork(network)
            .disconnect({ Container: container.id, Force: false });
        }
        try {
          await this.docker
            .getNetwork(network)
            .connect({ Container: container.id, EndpointConfig: endpoint });
        } catch (error) {
          throw new DeploymentError(
            `${resource.address}: cannot connect container ${attrs.name} to network ${network}: ${engineMessage(error)}`,
          );
        }
      }
    }
    if (lifecycle.start) {
      try {
        await container.start();
      } catch (error) {
        throw new DeploymentError(
          `${resource.address}: container ${attrs.name} did not start: ${engineMessage(error)}`,
        );
      }
      if (lifecycle.mustRun) {
        await this.checkRunning(
          resource,
          attrs,
          container,
          attrs.container_read_refresh_timeout_milliseconds,
        );
      }
      if (lifecycle.waitHealthy) await this.waitHealthy(resource, attrs, container, lifecycle);
    }
    this.values.set(resource.address, { id: container.id, name: attrs.name });
    this.containers.push({ resource: resource.address, name: attrs.name, id: container.id });
    log(`created container ${attrs.name} ${container.id.slice(0, 12)} (${resource.address})`);
  }

  /** `must_run`: running after start, and still running after a short settle period. */
  private async checkRunning(
    resource: PlannedResource,
    attrs: ContainerAttributes,
    container: Docker.Container,
    timeoutMs = DEFAULT_RUNNING_TIMEOUT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const isUp = (s: Docker.ContainerInspectInfo["State"]) => s.Running && !s.Restarting;
    let state = (await container.inspect()).State;
    while (!isUp(state) && state.Status === "created" && Date.now() < deadline) {
      await sleep(POLL_MS);
      state = (await container.inspect()).State;
    }
    if (isUp(state)) {
      await sleep(SETTLE_MS);
      state = (await container.inspect()).State;
    }
    if (!isUp(state)) {
      const logs = await tailLogs(container);
      throw new DeploymentError(
        `${resource.address}: container ${attrs.name} is not running after start (status ${state.Status}, exit code ${state.ExitCode}${state.Error ? `, ${state.Error}` : ""}); must_run is true. Last output: ${logs}`,
      );
    }
  }

  /** `wait`: the health check must report healthy within `wait_timeout`. */
  private async waitHealthy(
    resource: PlannedResource,
    attrs: ContainerAttributes,
    container: Docker.Container,
    lifecycle: ContainerLifecycle,
  ): Promise<void> {
    const deadline = Date.now() + lifecycle.waitTimeoutSeconds * 1000;
    for (;;) {
      const state = (await container.inspect()).State;
      const health = state.Health?.Status;
      if (health === undefined) {
        throw new DeploymentError(
          `${resource.address}: wait = true but container ${attrs.name} has no health check; add a healthcheck block or set wait = false`,
        );
      }
      if (health === "healthy") return;
      if (health === "unhealthy" || !state.Running) {
        const logs = await tailLogs(container);
        throw new DeploymentError(
          `${resource.address}: container ${attrs.name} is ${state.Running ? "unhealthy" : "no longer running"}. Last output: ${logs}`,
        );
      }
      if (Date.now() > deadline) {
        throw new DeploymentError(
          `${resource.address}: container ${attrs.name} was not healthy within wait_timeout = ${lifecycle.waitTimeoutSeconds}s (health: ${health})`,
        );
      }
      await sleep(POLL_MS * 5);
    }
  }

  /** Removes what this run created, newest first; reports what could not be removed. */
  async rollback(): Promise<string[]> {
    const leftovers: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
        this.options.log(`rolled back ${what}`);
      } catch (error) {
        if (engineStatus(error) !== 404) leftovers.push(`${what} (${engineMessage(error)})`);
      }
    };
    for (const { id, error } of await removeServicesAndWait(this.docker, this.created.services)) {
      leftovers.push(`service ${id.slice(0, 12)} (${error})`);
    }
    for (const id of [...this.created.containers].reverse()) {
      await attempt(`container ${id.slice(0, 12)}`, () =>
        removeContainer(this.docker.getContainer(id)),
      );
    }
    for (const id of [...this.created.secrets].reverse()) {
      await attempt(`secret ${id.slice(0, 12)}`, () => this.docker.getSecret(id).remove());
    }
    for (const id of [...this.created.networks].reverse()) {
      await attempt(`network ${id.slice(0, 12)}`, () => removeNetworkWhenReleased(this.docker, id));
    }
    for (const name of [...this.created.volumes].reverse()) {
      await attempt(`volume ${name}`, () => this.docker.getVolume(name).remove());
    }
    for (const reference of this.removeImages) {
      if (this.previouslyPulled.has(reference)) continue;
      await attempt(`image ${reference}`, () => this.docker.getImage(reference).remove());
    }
    return leftovers;
  }
}

/**
 * Deploys a synthesized stack (cdk.tf.json content) on a Docker Engine without Terraform:
 * networks, volumes, registry digests, images, containers (mapped exactly as the Terraform Docker
 * provider maps them), the PIDs-limit step and, on a Swarm manager, secrets and services, in
 * dependency order. Services are created detached, as the provider creates them without
 * `converge_config`: `up` returns once Swarm has accepted them, not when their tasks run. Everything created carries
 * `io.hardened-docker.up.stack=<stack>` plus `options.labels`.
 *
 * Refusals (unsupported resources, unevaluable expressions, invalid attributes, Swarm resources
 * on an Engine that is not a swarm manager) happen before anything is created. If a step fails later, what this run created is removed again, so a
 * failed `up` leaves nothing behind. Running `up` again on a deployed stack replaces its
 * containers (same name, created by `up` for this stack) and reuses its networks and volumes;
 * an object of the same name that `up` did not create for this stack is refused.
 *
 * @throws StackInputError when the stack is refused; DeploymentError when deploying failed.
 */
export async function upStack(stackJson: unknown, options: UpOptions = {}): Promise<DeployedStack> {
  const resolved = resolveUpOptions(options);
  const plan = planStack(stackJson, resolved.stackName);
  const run = new UpRun(plan, resolved);
  try {
    await run.preflight();
  } catch (error) {
    if (error instanceof StackInputError || error instanceof DeploymentError) throw error;
    throw new DeploymentError(`cannot reach the Docker Engine: ${engineMessage(error)}`);
  }
  try {
    return await run.deploy();
  } catch (error) {
    const leftovers = await run.rollback();
    if (leftovers.length > 0 && error instanceof Error) {
      const suffix = ` (rollback could not remove: ${leftovers.join("; ")})`;
      if (error instanceof StackInputError) throw new StackInputError(error.message + suffix);
      throw new DeploymentError(error.message + suffix);
    }
    throw error;
  }
}
