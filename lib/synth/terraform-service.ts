import { PROVIDER_DEFAULT_PORT_PROTOCOL } from "../provider/docker-provider-facts";
import { ContainerModel, HealthcheckModel, MountModel, PortModel } from "../policy/model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import {
  ENGINE_DEFAULT_IPC_MODE,
  ENGINE_DEFAULT_LOG_DRIVER,
  sortMounts,
  sortPorts,
  sortedStrings,
} from "../policy/normalize";
import {
  serviceNetworkMode,
  serviceNetworks,
  SWARM_ALL_INTERFACES,
} from "../policy/service-normalize";
import {
  NestedStringReader,
  constructPathOf,
  field,
  mountBlock,
  withVolumeHostPath,
  namedResourceResolver,
  required,
  withDefault,
} from "./terraform-common";
import { terraformImageModel } from "./terraform-image";
import {
  ReferenceResolver,
  describeValue,
  readBlock,
  readBlocks,
  readBoolean,
  readNumber,
  readString,
  readStringList,
  readStringMap,
} from "./terraform-values";

/**
 * The Terraform adapter for `docker_service` (Swarm): one resource of synthesized JSON to the
 * model of the container its tasks run (`kind: "service"`). What the provider's `docker_service`
 * cannot express holds what Swarm then applies: no privileged mode, no host PID/IPC/UTS/user
 * namespace, no swap limit, no PIDs limit, no ulimits, no CPU shares (see service-limits.ts).
 */

/** One `docker_service` resource and the stack it lives in. */
export interface TerraformServiceInput {
  /** Name of the resource under `resource.docker_service`. */
  readonly resourceName: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** The whole stack JSON, for references to `docker_image` and `docker_network`. */
  readonly stack: Readonly<Record<string, unknown>>;
}

type Block = Record<string, unknown>;

/** Reads a nested block path (`task_spec.container_spec`), Unknown when it cannot be read. */
function nested(
  parent: Maybe<Block | undefined>,
  key: string,
  at: string,
): Maybe<Block | undefined> {
  if (isUnknown(parent) || parent === undefined) return parent;
  return readBlock(`${at}.${key}`, parent[key]);
}

class ServiceReader implements NestedStringReader {
  public readonly taskSpec: Maybe<Block | undefined>;
  public readonly containerSpec: Maybe<Block>;
  private readonly resolve: ReferenceResolver;

  constructor(public readonly input: TerraformServiceInput) {
    this.resolve = namedResourceResolver(input.stack);
    this.taskSpec = readBlock("task_spec", input.body.task_spec);
    const spec = nested(this.taskSpec, "container_spec", "task_spec");
    this.containerSpec = required("task_spec.container_spec", spec);
  }

  nestedString(attribute: string, value: unknown): Maybe<string | undefined> {
    return readString(attribute, value, this.resolve);
  }

  get stack(): Readonly<Record<string, unknown>> {
    return this.input.stack;
  }

  /** A container_spec attribute through `read`, or the container_spec's own Unknown. */
  spec<T>(read: (spec: Block) => Maybe<T>): Maybe<T> {
    return isUnknown(this.containerSpec) ? this.containerSpec : read(this.containerSpec);
  }
}

const AT = "task_spec.container_spec";

function capabilities(r: ServiceReader, key: "cap_add" | "cap_drop"): Maybe<string[]> {
  return r.spec((spec) => {
    const list = readStringList(`${AT}.${key}`, spec[key]);
    return isUnknown(list) ? list : sortedStrings(list ?? []);
  });
}

/** `privileges.se_linux_context` as the `label=` security options Swarm passes to the container. */
function securityOpt(r: ServiceReader): Maybe<string[]> {
  return r.spec((spec) => {
    const privileges = readBlock(`${AT}.privileges`, spec.privileges);
    const context = nested(privileges, "se_linux_context", `${AT}.privileges`);
    if (isUnknown(context)) return context;
    if (context === undefined) return [];
    const disable = readBoolean(`${AT}.privileges.se_linux_context.disable`, context.disable);
    if (isUnknown(disable)) return disable;
    if (disable) return ["label=disable"];
    const options: string[] = [];
    for (const part of ["user", "role", "type", "level"]) {
      const value = readString(`${AT}.privileges.se_linux_context.${part}`, context[part]);
      if (isUnknown(value)) return value;
      if (value) options.push(`label=${part}:${value}`);
    }
    return sortedStrings(options);
  });
}

function mounts(r: ServiceReader): Maybe<MountModel[]> {
  return r.spec((spec) => {
    const blocks = readBlocks(`${AT}.mounts`, spec.mounts);
    if (isUnknown(blocks)) return blocks;
    const result: MountModel[] = [];
    for (const [i, m] of (blocks ?? []).entries()) {
      const mount = mountBlock(r, m, `${AT}.mounts[${i}]`);
      if (isUnknown(mount)) return mount;
      const resolved = withVolumeHostPath(mount, r.stack);
      if (isUnknown(resolved)) return resolved;
      result.push(resolved);
    }
    return sortMounts(result);
  });
}

function ports(body: Readonly<Record<string, unknown>>): Maybe<PortModel[]> {
  const endpoint = readBlock("endpoint_spec", body.endpoint_spec);
  if (isUnknown(endpoint)) return endpoint;
  const blocks = readBlocks("endpoint_spec.ports", endpoint?.ports);
  if (isUnknown(blocks)) return blocks;
  const result: PortModel[] = [];
  for (const [i, p] of (blocks ?? []).entries()) {
    const at = `endpoint_spec.ports[${i}]`;
    const target = required(`${at}.target_port`, readNumber(`${at}.target_port`, p.target_port));
    if (isUnknown(target)) return target;
    const published = readNumber(`${at}.published_port`, p.published_port);
    if (isUnknown(published)) return published;
    const protocol = readString(`${at}.protocol`, p.protocol);
    if (isUnknown(protocol)) return protocol;
    result.push({
      containerPort: target,
      hostPort: published ?? 0,
      hostIp: SWARM_ALL_INTERFACES,
      protocol: protocol || PROVIDER_DEFAULT_PORT_PROTOCOL,
    });
  }
  return sortPorts(result);
}

/**
 * The network of one `networks_advanced` block: `id` (kreuzwerker/docker 4.x) or `name` (3.6.2;
 * deprecated on 4.x, where it still attaches the network). Both set is refused by 4.x
 * ("Conflicts with `id`"), so it is not read: whichever the provider would take is unknown.
 */
function serviceNetworkOf(
  r: ServiceReader,
  block: Record<string, unknown>,
  at: string,
): Maybe<string> {
  const id = r.nestedString(`${at}.id`, block.id);
  const name = r.nestedString(`${at}.name`, block.name);
  if (id !== undefined && name !== undefined) {
    return new Unknown(`${at} sets both id and name: kreuzwerker/docker 4.x refuses that`);
  }
  return required(`${at}.id`, id ?? name);
}

function networkNames(r: ServiceReader): Maybe<string[]> {
  if (isUnknown(r.taskSpec)) return r.taskSpec;
  const blocks = readBlocks("task_spec.networks_advanced", r.taskSpec?.networks_advanced);
  if (isUnknown(blocks)) return blocks;
  const names: string[] = [];
  for (const [i, n] of (blocks ?? []).entries()) {
    const name = serviceNetworkOf(r, n, `task_spec.networks_advanced[${i}]`);
    if (isUnknown(name)) return name;
    names.push(name);
  }
  return names;
}

function limits(r: ServiceReader, key: "memory_bytes" | "nano_cpus"): Maybe<number> {
  const resources = nested(r.taskSpec, "resources", "task_spec");
  const limitBlock = nested(resources, "limits", "task_spec.resources");
  if (isUnknown(limitBlock)) return limitBlock;
  const value = readNumber(`task_spec.resources.limits.${key}`, limitBlock?.[key]);
  if (isUnknown(value)) return value;
  return value !== undefined && value > 0 ? value : 0;
}

function restartPolicy(r: ServiceReader): ContainerModel["restartPolicy"] {
  const policy = nested(r.taskSpec, "restart_policy", "task_spec");
  if (isUnknown(policy)) return policy;
  const condition = readString("task_spec.restart_policy.condition", policy?.condition);
  if (isUnknown(condition)) return condition;
  const max = readNumber("task_spec.restart_policy.max_attempts", policy?.max_attempts);
  if (isUnknown(max)) return max;
  // Swarm's default condition is `any` (restart whatever the exit), with no limit.
  return { name: condition || "any", maximumRetryCount: max ?? 0 };
}

function healthcheck(r: ServiceReader): Maybe<HealthcheckModel | undefined> {
  return r.spec((spec) => {
    const block = readBlock(`${AT}.healthcheck`, spec.healthcheck);
    if (isUnknown(block) || block === undefined) return block;
    const test = required(
      `${AT}.healthcheck.test`,
      readStringList(`${AT}.healthcheck.test`, block.test),
    );
    return isUnknown(test) ? test : { test };
  });
}

function logConfig(r: ServiceReader): ContainerModel["logConfig"] {
  const driver = nested(r.taskSpec, "log_driver", "task_spec");
  if (isUnknown(driver)) return driver;
  if (driver === undefined) return { type: ENGINE_DEFAULT_LOG_DRIVER, options: {} };
  const name = readString("task_spec.log_driver.name", driver.name);
  if (isUnknown(name)) return name;
  const options = readStringMap("task_spec.log_driver.options", driver.options);
  if (isUnknown(options)) return options;
  return { type: name || ENGINE_DEFAULT_LOG_DRIVER, options: options ?? {} };
}

function labelBlocks(attribute: string, value: unknown): Maybe<Record<string, string>> {
  const blocks = readBlocks(attribute, value);
  if (isUnknown(blocks)) return blocks;
  const result: Record<string, string> = {};
  for (const [i, l] of (blocks ?? []).entries()) {
    const label = required(
      `${attribute}[${i}].label`,
      readString(`${attribute}[${i}].label`, l.label),
    );
    if (isUnknown(label)) return label;
    const text = required(
      `${attribute}[${i}].value`,
      readString(`${attribute}[${i}].value`, l.value),
    );
    if (isUnknown(text)) return text;
    result[label] = text;
  }
  return result;
}

/** The container labels, then the service's own labels over them (what an audit reads first). */
function labels(
  r: ServiceReader,
  body: Readonly<Record<string, unknown>>,
): Maybe<Record<string, string>> {
  const container = r.spec((spec) => labelBlocks(`${AT}.labels`, spec.labels));
  if (isUnknown(container)) return container;
  const service = labelBlocks("labels", body.labels);
  if (isUnknown(service)) return service;
  return { ...container, ...service };
}

/** The model of one `docker_service` resource. Never throws. */
export function modelFromTerraformService(input: TerraformServiceInput): ContainerModel {
  const r = new ServiceReader(input);
  const names = field("task_spec.networks_advanced", () => networkNames(r));
  const constructPath = constructPathOf(input.body);
  const dynamic = input.body.dynamic;
  const generated =
    dynamic !== undefined && dynamic !== null
      ? new Unknown(
          `docker_service.${input.resourceName} has dynamic blocks (${describeValue(dynamic)}): only known at plan time`,
        )
      : undefined;
  const model: ContainerModel = {
    source: "terraform",
    kind: "service",
    resource: `docker_service.${input.resourceName}`,
    ...(constructPath !== undefined ? { constructPath } : {}),
    name: field("name", () => required("name", readString("name", input.body.name))),
    image: field("image", () => r.spec((spec) => terraformImageModel(spec.image, input.stack))),
    user: field("user", () =>
      r.spec((spec) => withDefault(readString(`${AT}.user`, spec.user), "")),
    ),
    // docker_service has no privileged mode.
    privileged: false,
    capAdd: field("cap_add", () => capabilities(r, "cap_add")),
    capDrop: field("cap_drop", () => capabilities(r, "cap_drop")),
    securityOpt: field("privileges", () => securityOpt(r)),
    readOnlyRootfs: field("read_only", () =>
      r.spec((spec) => withDefault(readBoolean(`${AT}.read_only`, spec.read_only), false)),
    ),
    mounts: field("mounts", () => mounts(r)),
    ports: field("endpoint_spec.ports", () => ports(input.body)),
    networkMode: isUnknown(names) ? names : serviceNetworkMode(names),
    networks: isUnknown(names) ? names : serviceNetworks(names),
    // docker_service has no pid_mode, ipc_mode, userns_mode, cgroup_parent or devices: each
    // task gets its own namespaces and the default cgroup parent.
    pidMode: "",
    ipcMode: ENGINE_DEFAULT_IPC_MODE,
    utsMode: "",
    usernsMode: "",
    cgroupParent: "",
    devices: [],
    memoryBytes: field("memory_bytes", () => limits(r, "memory_bytes")),
    memorySwapBytes: 0,
    cpuShares: 0,
    nanoCpus: field("nano_cpus", () => limits(r, "nano_cpus")),
    cpuQuota: 0,
    cpuPeriod: 0,
    pidsLimit: undefined,
    ulimits: [],
    restartPolicy: field("restart_policy", () => restartPolicy(r)),
    healthcheck: field("healthcheck", () => healthcheck(r)),
    logConfig: field("log_driver", () => logConfig(r)),
    labels: field("labels", () => labels(r, input.body)),
    init: false,
    groupAdd: field("groups", () =>
      r.spec((spec) => {
        const list = readStringList(`${AT}.groups`, spec.groups);
        return isUnknown(list) ? list : sortedStrings(list ?? []);
      }),
    ),
    sysctls: field("sysctl", () =>
      r.spec((spec) => withDefault(readStringMap(`${AT}.sysctl`, spec.sysctl), {})),
    ),
    // docker_service has no cgroupns_mode, runtime or gpus: tasks get the daemon's defaults.
    cgroupnsMode: "",
    runtime: "",
    gpus: [],
    env: field("env", () =>
      r.spec((spec) => {
        const map = readStringMap(`${AT}.env`, spec.env);
        if (isUnknown(map)) return map;
        return sortedStrings(Object.entries(map ?? {}).map(([k, v]) => `${k}=${v}`));
      }),
    ),
  };
  if (generated === undefined) return model;
  // A dynamic block may generate any part of the spec: nothing read from it can be trusted.
  return Object.fromEntries(
    Object.entries(model).map(([key, value]) =>
      ["source", "kind", "resource", "constructPath", "name"].includes(key)
        ? [key, value]
        : [key, generated],
    ),
  ) as unknown as ContainerModel;
}
