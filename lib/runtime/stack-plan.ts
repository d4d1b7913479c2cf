import { isRecord } from "../validation/is-record";
import type { z } from "zod";
import { parsePidsLimitStep, type PidsLimitStep } from "../container/pids-limit-step";
import { parseSignatureStep } from "../image/signature/signature-step";
import { readTerraformConfig, TerraformConfigError } from "../synth/terraform-config";
import { parseAttributes } from "./block-schemas";
import { containerAttributesSchema } from "./container-attributes";
import { StackInputError, describeValue } from "./errors";
import { collectReferences } from "./references";
import {
  imageAttributesSchema,
  networkAttributesSchema,
  registryImageAttributesSchema,
  volumeAttributesSchema,
} from "./resource-schemas";
import { secretAttributesSchema, serviceAttributesSchema } from "./swarm-schemas";

/**
 * Reads a synthesized stack (cdk.tf.json) into an ordered deployment plan, or refuses it. Every
 * refusal happens here, before the Engine is touched: unsupported resource types (by address),
 * Terraform expressions the harness cannot evaluate, references to resources that are not in
 * the stack or to attributes it does not produce, invalid attributes, dependency cycles.
 */

/** What the harness does with a resource. */
export type PlannedKind =
  | "network"
  | "volume"
  | "secret"
  | "registry-image"
  | "image"
  | "container"
  | "service"
  | "pids-limit"
  /** The image-signature step (`hardened-docker verify-image`), run before what depends on it. */
  | "image-signature"
  /** A `terraform_data` without provisioners: state only (a trigger), nothing to create. */
  | "inert";

interface KindInfo {
  readonly kind: PlannedKind;
  /** Attributes other resources may reference, e.g. `image_id`. */
  readonly exported: readonly string[];
  readonly schema?: z.ZodType;
  /** Creation order among independent resources. */
  readonly rank: number;
}

const RESOURCE_KINDS: Readonly<Record<string, KindInfo>> = {
  docker_network: {
    kind: "network",
    exported: ["id", "name"],
    schema: networkAttributesSchema,
    rank: 0,
  },
  docker_volume: {
    kind: "volume",
    exported: ["id", "name"],
    schema: volumeAttributesSchema,
    rank: 1,
  },
  docker_image: {
    kind: "image",
    exported: ["image_id", "name", "repo_digest"],
    schema: imageAttributesSchema,
    rank: 3,
  },
  docker_container: {
    kind: "container",
    exported: ["id", "name"],
    schema: containerAttributesSchema,
    rank: 4,
  },
  terraform_data: { kind: "pids-limit", exported: [], rank: 5 },
  docker_secret: {
    kind: "secret",
    exported: ["id", "name"],
    schema: secretAttributesSchema,
    rank: 1,
  },
  docker_service: {
    kind: "service",
    exported: ["id", "name"],
    schema: serviceAttributesSchema,
    rank: 4,
  },
};

const DATA_KINDS: Readonly<Record<string, KindInfo>> = {
  docker_registry_image: {
    kind: "registry-image",
    exported: ["id", "name", "sha256_digest"],
    schema: registryImageAttributesSchema,
    rank: 2,
  },
};

/** Top-level keys of cdk.tf.json that create nothing. */
const INERT_TOP_LEVEL = new Set(["//", "terraform", "provider", "variable", "locals", "output"]);

/** Meta-arguments that do not change what gets created. */
const IGNORED_META = new Set(["//", "depends_on", "lifecycle", "provider"]);

/** Meta-arguments the harness cannot honour. */
const REFUSED_META = ["count", "for_each", "provisioner", "connection"];

const STACK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const RESOURCE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One resource of the plan. */
export interface PlannedResource {
  /** `docker_container.api_container_1A2B3C4D`, `data.docker_registry_image.web`, ... */
  readonly address: string;
  readonly kind: PlannedKind;
  /** The attributes as synthesized (references unresolved), without meta-arguments. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Addresses this resource needs created first. */
  readonly dependsOn: readonly string[];
  /** Set for `pids-limit`: the recognised step. */
  readonly pidsLimit?: PidsLimitStep;
  /** Cdktf construct path, when the metadata holds one. */
  readonly constructPath?: string;
}

/** A stack ready to deploy: resources in creation order. */
export interface StackPlan {
  readonly stackName: string;
  readonly resources: readonly PlannedResource[];
}

function metadataStackName(json: Record<string, unknown>): string | undefined {
  const comment = json["//"];
  if (!isRecord(comment) || !isRecord(comment.metadata)) return undefined;
  const name = comment.metadata.stackName;
  return typeof name === "string" ? name : undefined;
}

function constructPathOf(body: Record<string, unknown>): string | undefined {
  const comment = body["//"];
  if (!isRecord(comment) || !isRecord(comment.metadata)) return undefined;
  const path = comment.metadata.path;
  return typeof path === "string" ? path : undefined;
}

function dependsOnOf(address: string, body: Record<string, unknown>): string[] {
  const raw = body.depends_on;
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((d) => typeof d !== "string")) {
    throw new StackInputError(
      `${address}: depends_on = ${describeValue(raw)}: expected a list of resource addresses`,
    );
  }
  return (raw as string[]).map((d) => d.replace(/^\$\{(.*)\}$/, "$1").trim());
}

interface Draft {
  address: string;
  info: KindInfo;
  body: Record<string, unknown>;
}

function collectDrafts(json: Record<string, unknown>): Draft[] {
  const unknownTop = Object.keys(json).filter(
    (k) => !INERT_TOP_LEVEL.has(k) && k !== "resource" && k !== "data",
  );
  if (unknownTop.length > 0) {
    throw new StackInputError(
      `the stack has top-level block(s) ${unknownTop.join(", ")} that the up harness does not deploy (it handles resource and data blocks only); remove them or deploy with Terraform`,
    );
  }
  const drafts: Draft[] = [];
  const unsupported: string[] = [];
  for (const [section, kinds, prefix] of [
    ["resource", RESOURCE_KINDS, ""],
    ["data", DATA_KINDS, "data."],
  ] as const) {
    const block = json[section];
    if (block === undefined) continue;
    if (!isRecord(block)) {
      throw new StackInputError(
        `the stack's "${section}" block is ${describeValue(block)}, not an object`,
      );
    }
    for (const [type, byName] of Object.entries(block)) {
      if (!isRecord(byName)) {
        throw new StackInputError(`${prefix}${type}: expected an object of resources by name`);
      }
      for (const [name, body] of Object.entries(byName)) {
        const address = `${prefix}${type}.${name}`;
        const info = kinds[type];
        if (!info) {
          unsupported.push(address);
          continue;
        }
        if (!RESOURCE_NAME_RE.test(name)) {
          throw new StackInputError(`${address}: "${name}" is not a valid Terraform resource name`);
        }
        if (!isRecord(body))
          throw new StackInputError(`${address}: expected an object of attributes`);
        drafts.push({ address, info, body });
      }
    }
  }
  if (unsupported.length > 0) {
    throw new StackInputError(
      `the up harness does not support ${unsupported.join(", ")}; nothing was created. It deploys docker_network, docker_volume, docker_image, docker_container, docker_secret, docker_service, data.docker_registry_image and the PIDs-limit and image-signature terraform_data steps; deploy other resources with Terraform`,
    );
  }
  return drafts;
}

function planOne(draft: Draft, addresses: Map<string, KindInfo>): PlannedResource {
  const { address, info, body } = draft;
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!IGNORED_META.has(k)) attributes[k] = v;

  let pidsLimit: PidsLimitStep | undefined;
  let kind = info.kind;
  if (info.kind === "pids-limit" && !("provisioner" in body)) {
    // Runs nothing and creates nothing outside Terraform's state (the labels trigger of
    // lib/audit/label-lifecycle.ts is one): nothing for the harness to do.
    const extra = Object.keys(attributes).filter((k) => !["input", "triggers_replace"].includes(k));
    if (extra.length > 0) {
      throw new StackInputError(
        `${address}: unsupported attribute(s) ${extra.join(", ")} on a terraform_data without provisioners`,
      );
    }
    kind = "inert";
  } else if (info.kind === "pids-limit" && parseSignatureStep(body)) {
    // Verified by the harness itself (verifyImageSignature), as the provisioner would run
    // `hardened-docker verify-image`; the provisioner is read again after references resolve.
    kind = "image-signature";
    const extra = Object.keys(attributes).filter(
      (k) => !["input", "triggers_replace", "provisioner"].includes(k),
    );
    if (extra.length > 0) {
      throw new StackInputError(
        `${address}: unsupported attribute(s) ${extra.join(", ")} on the image-signature step`,
      );
    }
  } else if (info.kind === "pids-limit") {
    const name = address.slice("terraform_data.".length);
    pidsLimit = parsePidsLimitStep(name, body);
    if (!pidsLimit) {
      throw new StackInputError(
        `${address}: this terraform_data is not a recognised PIDs-limit step (a single local-exec running "docker update --pids-limit N \${docker_container.<name>.id}") nor an image-signature step ("hardened-docker verify-image "$HARDENED_DOCKER_VERIFY_IMAGE" --key-env HARDENED_DOCKER_TRUSTED_KEYS", the reference and keys in its environment); the up harness runs nothing else`,
      );
    }
    const provisioners = body.provisioner as unknown[];
    if (provisioners.length !== 1) {
      throw new StackInputError(
        `${address}: has ${provisioners.length} provisioners; the up harness runs only the PIDs-limit command and will not skip the others silently`,
      );
    }
    const extra = Object.keys(attributes).filter(
      (k) => !["input", "triggers_replace", "provisioner"].includes(k),
    );
    if (extra.length > 0) {
      throw new StackInputError(
        `${address}: unsupported attribute(s) ${extra.join(", ")} on the PIDs-limit step`,
      );
    }
  } else {
    const refused = REFUSED_META.filter((k) => k in body);
    if (refused.length > 0) {
      throw new StackInputError(
        `${address}: ${refused.join(", ")} is not supported by the up harness (it creates exactly one object per resource and runs no provisioners)`,
      );
    }
    if (info.schema) parseAttributes(address, info.schema, attributes);
  }

  const { references, unsupported } = collectReferences(attributes);
  if (unsupported.length > 0) {
    const u = unsupported[0];
    throw new StackInputError(
      `${address}: attribute ${u.path} uses ${u.expression}, which the up harness cannot evaluate (only references to resources of this stack such as \${docker_image.<name>.image_id} are resolved); replace it with a literal value`,
    );
  }
  const dependsOn = new Set(dependsOnOf(address, body));
  for (const { path, reference } of references) {
    const target = addresses.get(reference.address);
    if (!target) {
      throw new StackInputError(
        `${address}: attribute ${path} refers to ${reference.expression}, but ${reference.address} is not a resource of this stack`,
      );
    }
    if (!target.exported.includes(reference.attribute)) {
      throw new StackInputError(
        `${address}: attribute ${path} refers to ${reference.expression}; the up harness knows ${target.exported.map((a) => `${reference.address}.${a}`).join(", ") || "no attributes"} of that resource`,
      );
    }
    dependsOn.add(reference.address);
  }
  if (pidsLimit) dependsOn.add(`docker_container.${pidsLimit.containerResourceName}`);
  for (const dep of dependsOn) {
    if (!addresses.has(dep)) {
      throw new StackInputError(
        `${address}: depends on ${dep}, which is not a resource of this stack`,
      );
    }
  }
  dependsOn.delete(address);
  return {
    address,
    kind,
    attributes,
    dependsOn: [...dependsOn],
    pidsLimit,
    constructPath: constructPathOf(body),
  };
}

function order(resources: PlannedResource[], ranks: Map<string, number>): PlannedResource[] {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const done = new Set<string>();
  const result: PlannedResource[] = [];
  while (result.length < resources.length) {
    const ready = resources
      .filter((r) => !done.has(r.address) && r.dependsOn.every((d) => done.has(d)))
      .sort((a, b) => (ranks.get(a.address) ?? 0) - (ranks.get(b.address) ?? 0));
    if (ready.length === 0) {
      const stuck = resources.filter((r) => !done.has(r.address)).map((r) => r.address);
      throw new StackInputError(`dependency cycle between ${stuck.join(", ")}`);
    }
    const next = ready[0];
    done.add(next.address);
    result.push(byAddress.get(next.address) ?? next);
  }
  return result;
}

/** The stack in the reader's canonical shape (array forms merged), or a refusal. */
function canonical(stackJson: Record<string, unknown>): Record<string, unknown> {
  try {
    return readTerraformConfig([{ json: stackJson }]).json;
  } catch (error) {
    if (error instanceof TerraformConfigError) throw new StackInputError(error.message);
    throw error;
  }
}

/**
 * Validates a synthesized stack and orders its resources for creation.
 * @param stackName overrides the name in the stack's metadata (`//.metadata.stackName`).
 * @throws StackInputError naming the resource, attribute and value when the stack is refused.
 */
export function planStack(stackJson: unknown, stackName?: string): StackPlan {
  if (!isRecord(stackJson)) {
    throw new StackInputError(
      `the stack is ${describeValue(stackJson)}, not a synthesized cdk.tf.json object`,
    );
  }
  const name = stackName ?? metadataStackName(stackJson);
  if (name === undefined) {
    throw new StackInputError(
      "the stack JSON has no //.metadata.stackName; pass a stack name (--stack NAME or options.stackName)",
    );
  }
  if (!STACK_NAME_RE.test(name)) {
    throw new StackInputError(
      `stack name ${describeValue(name)} is not usable as a label value: use letters, digits, . _ - (up to 128)`,
    );
  }
  const drafts = collectDrafts(canonical(stackJson));
  const addresses = new Map(drafts.map((d) => [d.address, d.info]));
  const ranks = new Map(drafts.map((d) => [d.address, d.info.rank]));
  const planned = drafts.map((d) => planOne(d, addresses));
  const names = new Map<string, string>();
  for (const r of planned) {
    if (r.kind !== "container" && r.kind !== "service" && r.kind !== "secret") continue;
    const objectName = String(r.attributes.name);
    const other = names.get(`${r.kind}/${objectName}`);
    if (other) {
      throw new StackInputError(
        `${r.address} and ${other} both create a ${r.kind} named ${objectName}`,
      );
    }
    names.set(`${r.kind}/${objectName}`, r.address);
  }
  return { stackName: name, resources: order(planned, ranks) };
}

/**
 * The stack name `down` works on: `stackName` if given, else the stack's metadata name. Unlike
 * `planStack` it does not validate resources, so `down` can clean up after any stack.
 */
export function stackNameOf(stackJson: unknown, stackName?: string): string {
  const name = stackName ?? (isRecord(stackJson) ? metadataStackName(stackJson) : undefined);
  if (name === undefined) {
    throw new StackInputError(
      "the stack JSON has no //.metadata.stackName; pass a stack name (--stack NAME or options.stackName)",
    );
  }
  if (!STACK_NAME_RE.test(name)) {
    throw new StackInputError(`stack name ${describeValue(name)} is not a valid stack name`);
  }
  return name;
}

/** Kinds that exist only on a Swarm manager. */
const SWARM_KINDS: ReadonlySet<PlannedKind> = new Set(["secret", "service"]);

/**
 * The resources of a plan that need the Engine in swarm mode: services, secrets and overlay
 * networks (by driver; an overlay named through a reference cannot be told apart and is not
 * listed, but the services that would use it are).
 */
export function swarmResources(plan: StackPlan): string[] {
  return plan.resources
    .filter(
      (r) => SWARM_KINDS.has(r.kind) || (r.kind === "network" && r.attributes.driver === "overlay"),
    )
    .map((r) => r.address);
}

/** `destroy_grace_seconds` and `remove_volumes` of each container, by container name (literal names only). */
export function containerRemovalSettings(
  stackJson: unknown,
): Map<string, { destroyGraceSeconds?: number; removeVolumes: boolean }> {
  const settings = new Map<string, { destroyGraceSeconds?: number; removeVolumes: boolean }>();
  if (!isRecord(stackJson) || !isRecord(stackJson.resource)) return settings;
  const containers = stackJson.resource.docker_container;
  if (!isRecord(containers)) return settings;
  for (const body of Object.values(containers)) {
    if (!isRecord(body) || typeof body.name !== "string") continue;
    settings.set(body.name, {
      destroyGraceSeconds:
        typeof body.destroy_grace_seconds === "number" ? body.destroy_grace_seconds : undefined,
      removeVolumes: body.remove_volumes !== false,
    });
  }
  return settings;
}
