import { unmaskedOf } from "../policy/facts/system-paths";
import { volumeHostAccess } from "../policy/facts/volume-host-access";
import { ContainerModel, MountModel, PortModel, UlimitModel } from "../policy/model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import {
  imageFromReference,
  mountApiTmpfsOptions,
  pidsLimitOrUnlimited,
  sortMounts,
  sortPorts,
  sortUlimits,
  sortedStrings,
  tmpfsMapMount,
  unreadableModel,
} from "../policy/normalize";
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
import { describeValue, isRecord } from "../synth/terraform-values";

/**
 * The inspect adapter: a live container's `docker inspect` JSON (Engine API ContainerInspect) to
 * the container model. It reads the fields the CIS Docker Benchmark reads
 * (shared/reference/cis-docker-runtime.md) and normalizes them as the Terraform adapter does, so
 * a deployed container and the configuration that created it give the same model.
 */

function image(config: Maybe<Json>): ContainerModel["image"] {
  const reference = text(config, "Config", "Image", "");
  if (isUnknown(reference)) return reference;
  if (reference === "") return new Unknown("Config.Image is empty");
  return imageFromReference(reference);
}

function mounts(
  root: Json,
  host: Maybe<Json>,
  volumeOptions: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Maybe<MountModel[]> {
  const live = objects(root, "", "Mounts");
  if (isUnknown(live)) return live;
  const result: MountModel[] = [];
  const tmpfsTargets = new Set<string>();
  // Mounts-API tmpfs mounts: their size and mode are only in HostConfig.Mounts.
  const requested = objects(host, "HostConfig", "Mounts");
  if (isUnknown(requested)) return requested;
  for (const m of requested) {
    if (m.Type !== "tmpfs" || typeof m.Target !== "string") continue;
    const options = isRecord(m.TmpfsOptions) ? m.TmpfsOptions : {};
    const size = typeof options.SizeBytes === "number" ? options.SizeBytes : undefined;
    const mode = typeof options.Mode === "number" ? options.Mode : undefined;
    tmpfsTargets.add(m.Target);
    result.push({
      type: "tmpfs",
      source: "",
      target: m.Target,
      readOnly: m.ReadOnly === true,
      propagation: "",
      tmpfsOptions: mountApiTmpfsOptions(size, mode),
    });
  }
  const tmpfsMap = stringMap(host, "HostConfig", "Tmpfs");
  if (isUnknown(tmpfsMap)) return tmpfsMap;
  for (const [target, options] of Object.entries(tmpfsMap)) {
    tmpfsTargets.add(target);
    result.push(tmpfsMapMount(target, options));
  }
  for (const [i, m] of live.entries()) {
    const type = m.Type;
    const target = m.Destination;
    if (typeof target !== "string") {
      return new Unknown(
        `Mounts[${i}].Destination should be a string but is ${describeValue(target)}`,
      );
    }
    if (type !== "bind" && type !== "volume" && type !== "tmpfs") {
      return new Unknown(
        `Mounts[${i}].Type should be bind, volume or tmpfs but is ${describeValue(type)}`,
      );
    }
    if (type === "tmpfs") {
      if (tmpfsTargets.has(target)) continue;
      result.push({
        type,
        source: "",
        target,
        readOnly: m.RW === false,
        propagation: "",
        tmpfsOptions: [],
      });
      continue;
    }
    // A named volume's Source is its data folder on the host; the model holds the volume name.
    const source = type === "volume" ? m.Name : m.Source;
    const access =
      type === "volume" && typeof source === "string"
        ? volumeHostAccess(
            typeof m.Driver === "string" ? m.Driver : undefined,
            volumeOptions[source],
          )
        : undefined;
    if (access?.kind === "unknown") {
      return new Unknown(`Mounts[${i}] (volume ${String(source)}): ${access.reason}`);
    }
    result.push({
      type,
      source: typeof source === "string" ? source : "",
      target,
      readOnly: m.RW === false,
      propagation: typeof m.Propagation === "string" ? m.Propagation : "",
      ...(access?.kind === "host-paths"
        ? { volumeHostPaths: access.paths, volumeAccess: access.how }
        : {}),
    });
  }
  return sortMounts(result);
}

const PORT_KEY_RE = /^(\d+)\/([a-z]+)$/;
const HOST_PORT_RE = /^\d*$/;

function ports(host: Maybe<Json>): Maybe<PortModel[]> {
  if (isUnknown(host)) return host;
  if (host.PublishAllPorts === true) {
    return new Unknown(
      "HostConfig.PublishAllPorts is true: every port the image exposes is published on all interfaces, and which ports that are is decided by the image",
    );
  }
  const bindings = host.PortBindings;
  if (bindings === undefined || bindings === null) return [];
  if (!isRecord(bindings)) {
    return new Unknown(
      `HostConfig.PortBindings should be an object but is ${describeValue(bindings)}`,
    );
  }
  const result: PortModel[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const match = PORT_KEY_RE.exec(key);
    if (!match)
      return new Unknown(
        `HostConfig.PortBindings key ${JSON.stringify(key)} is not <port>/<protocol>`,
      );
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list) || !list.every(isRecord)) {
      return new Unknown(`HostConfig.PortBindings["${key}"] should be a list of bindings`);
    }
    for (const binding of list) {
      const hostIp = typeof binding.HostIp === "string" ? binding.HostIp : "";
      const hostPort = typeof binding.HostPort === "string" ? binding.HostPort : "";
      if (!HOST_PORT_RE.test(hostPort)) {
        return new Unknown(
          `HostConfig.PortBindings["${key}"] has host port ${JSON.stringify(hostPort)}, not a number`,
        );
      }
      result.push({
        containerPort: Number(match[1]),
        hostPort: hostPort === "" ? 0 : Number(hostPort),
        // An empty HostIp publishes on every interface.
        hostIp: hostIp === "" ? "0.0.0.0" : hostIp,
        protocol: match[2],
      });
    }
  }
  return sortPorts(result);
}

function networks(root: Json): Maybe<string[]> {
  const settings = root.NetworkSettings;
  if (!isRecord(settings)) {
    return new Unknown(`NetworkSettings should be an object but is ${describeValue(settings)}`);
  }
  const attached = settings.Networks;
  if (attached === undefined || attached === null) return [];
  if (!isRecord(attached)) {
    return new Unknown(
      `NetworkSettings.Networks should be an object but is ${describeValue(attached)}`,
    );
  }
  return sortedStrings(Object.keys(attached));
}

function devices(host: Maybe<Json>): Maybe<string[]> {
  const list = objects(host, "HostConfig", "Devices");
  if (isUnknown(list)) return list;
  const paths: string[] = [];
  for (const [i, d] of list.entries()) {
    if (typeof d.PathOnHost !== "string") {
      return new Unknown(
        `HostConfig.Devices[${i}].PathOnHost should be a string but is ${describeValue(d.PathOnHost)}`,
      );
    }
    paths.push(d.PathOnHost);
  }
  return sortedStrings(paths);
}

/** `HostConfig.DeviceRequests` (`--gpus`) as `driver:count:capabilities` entries. */
function deviceRequests(host: Maybe<Json>): Maybe<string[]> {
  const list = objects(host, "HostConfig", "DeviceRequests");
  if (isUnknown(list)) return list;
  return sortedStrings(
    list.map((d) => {
      const caps = Array.isArray(d.Capabilities) ? d.Capabilities.flat().join(",") : "";
      const count = typeof d.Count === "number" ? String(d.Count) : "";
      return `${typeof d.Driver === "string" ? d.Driver : ""}:${count}:${caps}`;
    }),
  );
}

function ulimits(host: Maybe<Json>): Maybe<UlimitModel[]> {
  const list = objects(host, "HostConfig", "Ulimits");
  if (isUnknown(list)) return list;
  const result: UlimitModel[] = [];
  for (const [i, u] of list.entries()) {
    if (typeof u.Name !== "string" || typeof u.Soft !== "number" || typeof u.Hard !== "number") {
      return new Unknown(`HostConfig.Ulimits[${i}] should have Name, Soft and Hard`);
    }
    result.push({ name: u.Name, soft: u.Soft, hard: u.Hard });
  }
  return sortUlimits(result);
}

function pidsLimit(host: Maybe<Json>): Maybe<number | undefined> {
  const limit = num(host, "HostConfig", "PidsLimit");
  return isUnknown(limit) ? limit : pidsLimitOrUnlimited(limit);
}

function restartPolicy(host: Maybe<Json>): ContainerModel["restartPolicy"] {
  if (isUnknown(host)) return host;
  const policy = host.RestartPolicy;
  if (policy === undefined || policy === null) return { name: "no", maximumRetryCount: 0 };
  if (!isRecord(policy)) {
    return new Unknown(
      `HostConfig.RestartPolicy should be an object but is ${describeValue(policy)}`,
    );
  }
  const name = text(policy, "HostConfig.RestartPolicy", "Name", "");
  if (isUnknown(name)) return name;
  const max = num(policy, "HostConfig.RestartPolicy", "MaximumRetryCount");
  if (isUnknown(max)) return max;
  return { name: name || "no", maximumRetryCount: max };
}

function logConfig(host: Maybe<Json>): ContainerModel["logConfig"] {
  if (isUnknown(host)) return host;
  const log = host.LogConfig;
  if (!isRecord(log)) {
    return new Unknown(`HostConfig.LogConfig should be an object but is ${describeValue(log)}`);
  }
  const type = text(log, "HostConfig.LogConfig", "Type", "");
  if (isUnknown(type)) return type;
  const options = stringMap(log, "HostConfig.LogConfig", "Config");
  if (isUnknown(options)) return options;
  return { type, options };
}

function processes(list: readonly string[] | undefined): { processes?: Maybe<readonly string[]> } {
  if (list === undefined) return {};
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) {
    return { processes: new Unknown("the process list should be a list of command lines") };
  }
  return { processes: [...list] };
}

function allUnknown(
  resource: string,
  why: Unknown,
  processList?: readonly string[],
): ContainerModel {
  return {
    ...unreadableModel({ source: "inspect", kind: "container", resource }, why),
    ...processes(processList),
  };
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

/**
 * A live container's `docker inspect` JSON (one element of the array; Engine API
 * ContainerInspect) to the model. `processes`: optional command lines from the Engine API `top`
 * (for CIS 5.7). Never throws: a field it cannot read becomes Unknown with an explanation.
 */
/** Docker's default /proc and /sys paths this container sees unmasked or writable. */
function unmaskedPaths(host: Maybe<Json>): Maybe<readonly string[]> {
  if (isUnknown(host)) return host;
  const privileged = flag(host, "HostConfig", "Privileged");
  const masked = texts(host, "HostConfig", "MaskedPaths");
  const readonly = texts(host, "HostConfig", "ReadonlyPaths");
  if (isUnknown(privileged)) return privileged;
  if (isUnknown(masked)) return masked;
  if (isUnknown(readonly)) return readonly;
  const given = (key: string) => host[key] !== undefined && host[key] !== null;
  return unmaskedOf(
    given("MaskedPaths") ? masked : null,
    given("ReadonlyPaths") ? readonly : null,
    privileged,
  );
}

export function modelFromInspect(
  inspect: unknown,
  options: {
    processes?: string[];
    /**
     * Driver options of the engine's named volumes, by volume name (`GET /volumes`): a volume
     * whose options show host paths (`type=none,o=bind,device=/`, an overlay, a host disk) is
     * judged as a bind of them (see `volumeHostAccess`).
     */
    volumeOptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  } = {},
): ContainerModel {
  if (!isRecord(inspect)) {
    return allUnknown(
      "container:(unreadable)",
      new Unknown(`the inspect JSON should be an object but is ${describeValue(inspect)}`),
      options.processes,
    );
  }
  const rawName = typeof inspect.Name === "string" ? inspect.Name.replace(/^\//, "") : undefined;
  const resource = `container:/${rawName ?? (typeof inspect.Id === "string" ? inspect.Id.slice(0, 12) : "(unnamed)")}`;
  const config = section(inspect, "Config");
  const host = section(inspect, "HostConfig");
  const appArmor = inspect.AppArmorProfile;
  return {
    source: "inspect",
    kind: "container",
    resource,
    name: rawName ?? new Unknown(`Name should be a string but is ${describeValue(inspect.Name)}`),
    image: field("Config.Image", () => image(config)),
    user: text(config, "Config", "User", ""),
    privileged: flag(host, "HostConfig", "Privileged"),
    capAdd: texts(host, "HostConfig", "CapAdd"),
    capDrop: texts(host, "HostConfig", "CapDrop"),
    // In the engine's order: Docker applied the last of two conflicting options.
    securityOpt: texts(host, "HostConfig", "SecurityOpt", "as-given"),
    unmaskedSystemPaths: field("HostConfig.MaskedPaths", () => unmaskedPaths(host)),
    readOnlyRootfs: flag(host, "HostConfig", "ReadonlyRootfs"),
    mounts: field("Mounts", () => mounts(inspect, host, options.volumeOptions ?? {})),
    ports: field("HostConfig.PortBindings", () => ports(host)),
    networkMode: text(host, "HostConfig", "NetworkMode", "default"),
    networks: field("NetworkSettings.Networks", () => networks(inspect)),
    pidMode: text(host, "HostConfig", "PidMode", ""),
    ipcMode: text(host, "HostConfig", "IpcMode", ""),
    utsMode: text(host, "HostConfig", "UTSMode", ""),
    usernsMode: text(host, "HostConfig", "UsernsMode", ""),
    cgroupParent: text(host, "HostConfig", "CgroupParent", ""),
    devices: field("HostConfig.Devices", () => devices(host)),
    memoryBytes: num(host, "HostConfig", "Memory"),
    memorySwapBytes: num(host, "HostConfig", "MemorySwap"),
    cpuShares: num(host, "HostConfig", "CpuShares"),
    nanoCpus: num(host, "HostConfig", "NanoCpus"),
    cpuQuota: num(host, "HostConfig", "CpuQuota"),
    cpuPeriod: num(host, "HostConfig", "CpuPeriod"),
    pidsLimit: pidsLimit(host),
    ulimits: field("HostConfig.Ulimits", () => ulimits(host)),
    restartPolicy: field("HostConfig.RestartPolicy", () => restartPolicy(host)),
    healthcheck: field("Config.Healthcheck", () => healthConfig(config, "Config")),
    logConfig: field("HostConfig.LogConfig", () => logConfig(host)),
    labels: stringMap(config, "Config", "Labels"),
    init: flag(host, "HostConfig", "Init"),
    groupAdd: texts(host, "HostConfig", "GroupAdd"),
    sysctls: stringMap(host, "HostConfig", "Sysctls"),
    cgroupnsMode: text(host, "HostConfig", "CgroupnsMode", ""),
    runtime: text(host, "HostConfig", "Runtime", ""),
    gpus: field("HostConfig.DeviceRequests", () => deviceRequests(host)),
    env: texts(config, "Config", "Env"),
    ...(typeof appArmor === "string" ? { appArmorProfile: appArmor } : {}),
    ...processes(options.processes),
  };
}
