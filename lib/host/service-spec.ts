import { volumeHostAccess } from "../policy/facts/volume-host-access";
import { ContainerModel, MountModel, PortModel, UlimitModel } from "../policy/model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import {
  Json,
  flag,
  healthConfig,
  num,
  objects,
  section,
  stringMap,
  text,
  texts,
} from "./json-readers";
import {
  ENGINE_DEFAULT_IPC_MODE,
  ENGINE_DEFAULT_LOG_DRIVER,
  imageFromReference,
  mountApiTmpfsOptions,
  pidsLimitOrUnlimited,
  sortMounts,
  sortPorts,
  sortUlimits,
  sortedStrings,
  unreadableModel,
} from "../policy/normalize";
import {
  SWARM_ALL_INTERFACES,
  serviceNetworkMode,
  serviceNetworks,
} from "../policy/service-normalize";
import { describeValue, isRecord } from "../synth/terraform-values";

/**
 * The live service adapter: one element of `docker service inspect` (Engine API Service) to
 * the model of the container its tasks run (`kind: "service"`, `source: "service-spec"`). It
 * reads `Spec.TaskTemplate.ContainerSpec`, `.Resources`, `.RestartPolicy`, `.LogDriver`,
 * `.Networks` and `Spec.EndpointSpec.Ports`, normalized as the Terraform adapter normalizes a
 * `docker_service`, so a deployed service and its configuration give the same model. Settings
 * newer engines accept but the provider cannot write (`Privileges.NoNewPrivileges`,
 * `Privileges.Seccomp`, `Resources.Limits.Pids`, `Ulimits`) are read when present.
 */

/** Options of {@link modelFromServiceSpec}. */
export interface ServiceSpecOptions {
  /**
   * Network names by ID: `Spec.TaskTemplate.Networks[].Target` holds the network's ID (from
   * `docker network inspect` or the networks list). A target not in the map is taken as a name.
   */
  readonly networkNames?: Readonly<Record<string, string>>;
}

const CS = "Spec.TaskTemplate.ContainerSpec";

function image(spec: Maybe<Json>): ContainerModel["image"] {
  const reference = text(spec, CS, "Image", "");
  if (isUnknown(reference)) return reference;
  if (reference === "") return new Unknown(`${CS}.Image is empty`);
  return imageFromReference(reference);
}

function selinuxOptions(context: unknown): Maybe<string[]> {
  if (context === undefined || context === null) return [];
  if (!isRecord(context)) {
    return new Unknown(`${CS}.Privileges.SELinuxContext should be an object`);
  }
  if (context.Disable === true) return ["label=disable"];
  const options: string[] = [];
  for (const [key, part] of [
    ["User", "user"],
    ["Role", "role"],
    ["Type", "type"],
    ["Level", "level"],
  ] as const) {
    const value = context[key];
    if (typeof value === "string" && value !== "") options.push(`label=${part}:${value}`);
  }
  return options;
}

function seccompOption(seccomp: unknown): Maybe<string[]> {
  if (!isRecord(seccomp)) return [];
  if (seccomp.Mode === "unconfined") return ["seccomp=unconfined"];
  if (seccomp.Mode === "custom") {
    if (typeof seccomp.Profile !== "string") {
      return new Unknown(`${CS}.Privileges.Seccomp.Profile should be the profile (base64)`);
    }
    return [`seccomp=${Buffer.from(seccomp.Profile, "base64").toString("utf8")}`];
  }
  return [];
}

/** The security options Swarm passes to the task's container, from `ContainerSpec.Privileges`. */
function securityOpt(spec: Maybe<Json>): Maybe<string[]> {
  if (isUnknown(spec)) return spec;
  const privileges = spec.Privileges;
  if (privileges === undefined || privileges === null) return [];
  if (!isRecord(privileges)) {
    return new Unknown(`${CS}.Privileges should be an object but is ${describeValue(privileges)}`);
  }
  const label = selinuxOptions(privileges.SELinuxContext);
  if (isUnknown(label)) return label;
  const seccomp = seccompOption(privileges.Seccomp);
  if (isUnknown(seccomp)) return seccomp;
  const options = [...label, ...seccomp];
  if (privileges.NoNewPrivileges === true) options.push("no-new-privileges:true");
  if (isRecord(privileges.AppArmor) && privileges.AppArmor.Mode === "disabled") {
    options.push("apparmor=unconfined");
  }
  return sortedStrings(options);
}

function mounts(spec: Maybe<Json>): Maybe<MountModel[]> {
  const list = objects(spec, CS, "Mounts");
  if (isUnknown(list)) return list;
  const result: MountModel[] = [];
  for (const [i, m] of list.entries()) {
    const at = `${CS}.Mounts[${i}]`;
    if (m.Type !== "bind" && m.Type !== "volume" && m.Type !== "tmpfs") {
      return new Unknown(
        `${at}.Type should be bind, volume or tmpfs but is ${describeValue(m.Type)}`,
      );
    }
    if (typeof m.Target !== "string") {
      return new Unknown(`${at}.Target should be a string but is ${describeValue(m.Target)}`);
    }
    const readOnly = m.ReadOnly === true;
    if (m.Type === "tmpfs") {
      const options = isRecord(m.TmpfsOptions) ? m.TmpfsOptions : {};
      const size = typeof options.SizeBytes === "number" ? options.SizeBytes : undefined;
      const mode = typeof options.Mode === "number" ? options.Mode : undefined;
      result.push({
        type: "tmpfs",
        source: "",
        target: m.Target,
        readOnly,
        propagation: "",
        tmpfsOptions: mountApiTmpfsOptions(size, mode),
      });
      continue;
    }
    const bind = isRecord(m.BindOptions) ? m.BindOptions : {};
    const volumeOptions = isRecord(m.VolumeOptions) ? m.VolumeOptions : {};
    const driverConfig = isRecord(volumeOptions.DriverConfig) ? volumeOptions.DriverConfig : {};
    const driverOptions = isRecord(driverConfig.Options)
      ? Object.fromEntries(
          Object.entries(driverConfig.Options).filter(
            (e): e is [string, string] => typeof e[1] === "string",
          ),
        )
      : undefined;
    const access =
      m.Type === "volume"
        ? volumeHostAccess(
            typeof driverConfig.Name === "string" ? driverConfig.Name : undefined,
            driverOptions,
          )
        : undefined;
    if (access?.kind === "unknown") {
      return new Unknown(`${at}: ${access.reason}`);
    }
    result.push({
      type: m.Type,
      source: typeof m.Source === "string" ? m.Source : "",
      target: m.Target,
      readOnly,
      propagation:
        m.Type === "bind"
          ? typeof bind.Propagation === "string" && bind.Propagation !== ""
            ? bind.Propagation
            : "rprivate"
          : "",
      ...(access?.kind === "host-paths"
        ? { volumeHostPaths: access.paths, volumeAccess: access.how }
        : {}),
    });
  }
  return sortMounts(result);
}

function ports(spec: Json): Maybe<PortModel[]> {
  const endpoint = spec.EndpointSpec;
  if (endpoint === undefined || endpoint === null) return [];
  const list = objects(section(spec, "EndpointSpec"), "Spec.EndpointSpec", "Ports");
  if (isUnknown(list)) return list;
  const result: PortModel[] = [];
  for (const [i, p] of list.entries()) {
    if (typeof p.TargetPort !== "number") {
      return new Unknown(`Spec.EndpointSpec.Ports[${i}].TargetPort should be a number`);
    }
    result.push({
      containerPort: p.TargetPort,
      hostPort: typeof p.PublishedPort === "number" ? p.PublishedPort : 0,
      hostIp: SWARM_ALL_INTERFACES,
      protocol: typeof p.Protocol === "string" && p.Protocol !== "" ? p.Protocol : "tcp",
    });
  }
  return sortPorts(result);
}

function networkNames(task: Maybe<Json>, names: Readonly<Record<string, string>>): Maybe<string[]> {
  const list = objects(task, "Spec.TaskTemplate", "Networks");
  if (isUnknown(list)) return list;
  const result: string[] = [];
  for (const [i, n] of list.entries()) {
    if (typeof n.Target !== "string") {
      return new Unknown(`Spec.TaskTemplate.Networks[${i}].Target should be a string`);
    }
    result.push(names[n.Target] ?? n.Target);
  }
  return result;
}

function limits(task: Maybe<Json>): Maybe<Json> {
  if (isUnknown(task)) return task;
  const resources = task.Resources;
  if (!isRecord(resources) || resources.Limits === undefined || resources.Limits === null) {
    return {};
  }
  return section(resources, "Limits");
}

function ulimits(spec: Maybe<Json>): Maybe<UlimitModel[]> {
  const list = objects(spec, CS, "Ulimits");
  if (isUnknown(list)) return list;
  const result: UlimitModel[] = [];
  for (const [i, u] of list.entries()) {
    if (typeof u.Name !== "string" || typeof u.Soft !== "number" || typeof u.Hard !== "number") {
      return new Unknown(`${CS}.Ulimits[${i}] should have Name, Soft and Hard`);
    }
    result.push({ name: u.Name, soft: u.Soft, hard: u.Hard });
  }
  return sortUlimits(result);
}

function restartPolicy(task: Maybe<Json>): ContainerModel["restartPolicy"] {
  if (isUnknown(task)) return task;
  const policy = task.RestartPolicy;
  if (policy === undefined || policy === null) return { name: "any", maximumRetryCount: 0 };
  if (!isRecord(policy)) {
    return new Unknown(`Spec.TaskTemplate.RestartPolicy should be an object`);
  }
  const condition = text(policy, "Spec.TaskTemplate.RestartPolicy", "Condition", "");
  if (isUnknown(condition)) return condition;
  const max = num(policy, "Spec.TaskTemplate.RestartPolicy", "MaxAttempts");
  if (isUnknown(max)) return max;
  return { name: condition || "any", maximumRetryCount: max };
}

function logConfig(task: Maybe<Json>): ContainerModel["logConfig"] {
  if (isUnknown(task)) return task;
  const driver = task.LogDriver;
  if (driver === undefined || driver === null)
    return { type: ENGINE_DEFAULT_LOG_DRIVER, options: {} };
  if (!isRecord(driver)) return new Unknown("Spec.TaskTemplate.LogDriver should be an object");
  const name = text(driver, "Spec.TaskTemplate.LogDriver", "Name", "");
  if (isUnknown(name)) return name;
  const options = stringMap(driver, "Spec.TaskTemplate.LogDriver", "Options");
  if (isUnknown(options)) return options;
  return { type: name || ENGINE_DEFAULT_LOG_DRIVER, options };
}

function labels(spec: Json, container: Maybe<Json>): Maybe<Record<string, string>> {
  const own = stringMap(container, CS, "Labels");
  if (isUnknown(own)) return own;
  const service = stringMap(spec, "Spec", "Labels");
  if (isUnknown(service)) return service;
  return { ...own, ...service };
}

/** Runs one field reader; a reader that throws gives an Unknown, never a crash. */
function field<T>(name: string, read: () => Maybe<T>): Maybe<T> {
  try {
    return read();
  } catch (error) {
    return new Unknown(
      `${name} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function unreadable(why: Unknown): ContainerModel {
  return unreadableModel(
    { source: "service-spec", kind: "service", resource: "service:(unreadable)" },
    why,
  );
}

/**
 * One live service (an element of `docker service inspect`'s array) to the model. Never
 * throws: a field it cannot read becomes Unknown with an explanation.
 */
export function modelFromServiceSpec(
  inspect: unknown,
  options: ServiceSpecOptions = {},
): ContainerModel {
  if (!isRecord(inspect) || !isRecord(inspect.Spec)) {
    return unreadable(
      new Unknown(
        `the service inspect JSON should be an object with a Spec but is ${describeValue(inspect)}`,
      ),
    );
  }
  const spec = inspect.Spec;
  const name = typeof spec.Name === "string" ? spec.Name : undefined;
  const id = typeof inspect.ID === "string" ? inspect.ID.slice(0, 12) : "(unnamed)";
  const task = section(spec, "TaskTemplate");
  const container = isUnknown(task) ? task : section(task, "ContainerSpec");
  const limit = limits(task);
  const names = field("Spec.TaskTemplate.Networks", () =>
    networkNames(task, options.networkNames ?? {}),
  );
  const pids = num(limit, "Spec.TaskTemplate.Resources.Limits", "Pids");
  return {
    source: "service-spec",
    kind: "service",
    resource: `service:${name ?? id}`,
    name: name ?? new Unknown(`Spec.Name should be a string but is ${describeValue(spec.Name)}`),
    image: field(`${CS}.Image`, () => image(container)),
    user: text(container, CS, "User", ""),
    // A service has no privileged mode, host namespaces, cgroup parent or devices.
    privileged: false,
    capAdd: texts(container, CS, "CapabilityAdd"),
    capDrop: texts(container, CS, "CapabilityDrop"),
    securityOpt: field(`${CS}.Privileges`, () => securityOpt(container)),
    // A Swarm service cannot unmask /proc (no masked-path setting in its spec).
    unmaskedSystemPaths: [],
    readOnlyRootfs: flag(container, CS, "ReadOnly"),
    mounts: field(`${CS}.Mounts`, () => mounts(container)),
    ports: field("Spec.EndpointSpec.Ports", () => ports(spec)),
    networkMode: isUnknown(names) ? names : serviceNetworkMode(names),
    networks: isUnknown(names) ? names : serviceNetworks(names),
    pidMode: "",
    ipcMode: ENGINE_DEFAULT_IPC_MODE,
    utsMode: "",
    usernsMode: "",
    cgroupParent: "",
    devices: [],
    memoryBytes: num(limit, "Spec.TaskTemplate.Resources.Limits", "MemoryBytes"),
    // Swarm sets no swap limit and no CPU shares or quota on a task's container.
    memorySwapBytes: 0,
    cpuShares: 0,
    nanoCpus: num(limit, "Spec.TaskTemplate.Resources.Limits", "NanoCPUs"),
    cpuQuota: 0,
    cpuPeriod: 0,
    pidsLimit: isUnknown(pids) ? pids : pidsLimitOrUnlimited(pids),
    ulimits: field(`${CS}.Ulimits`, () => ulimits(container)),
    restartPolicy: field("Spec.TaskTemplate.RestartPolicy", () => restartPolicy(task)),
    healthcheck: field(`${CS}.Healthcheck`, () => healthConfig(container, CS)),
    logConfig: field("Spec.TaskTemplate.LogDriver", () => logConfig(task)),
    labels: field("Spec.Labels", () => labels(spec, container)),
    init: flag(container, CS, "Init"),
    groupAdd: texts(container, CS, "Groups"),
    sysctls: stringMap(container, CS, "Sysctls"),
    // A service has no cgroupns mode, runtime or device requests of its own.
    cgroupnsMode: "",
    runtime: "",
    gpus: [],
    env: texts(container, CS, "Env"),
  };
}
