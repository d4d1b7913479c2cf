import { parseImageReference } from "./facts/image-reference";
import { ContainerModel, ImageModel, MountModel, PortModel, UlimitModel } from "./model";
import { Maybe, Unknown } from "./unknown";

/**
 * Normalization shared by both adapters, so the same configuration gives the same model whether
 * it was read from synthesized JSON or from `docker inspect`. Lists whose order carries no
 * meaning are sorted: the provider keeps several of them as Terraform sets (hash order), and
 * the Engine reports mounts and networks from Go maps.
 */

const IMAGE_ID_RE = /^sha256:[a-f0-9]{64}$/;

/**
 * The image model for a literal reference. An image ID (`sha256:<64 hex>`) is content-addressed,
 * so it counts as pinned; it names no repository (`repository` is empty).
 */
export function imageFromReference(reference: string): Maybe<ImageModel> {
  if (IMAGE_ID_RE.test(reference)) return { reference, pinnedByDigest: true, repository: "" };
  const parsed = parseImageReference(reference);
  if (typeof parsed === "string") {
    return new Unknown(
      `image ${JSON.stringify(reference)} is not a valid image reference: ${parsed}`,
    );
  }
  return { reference, pinnedByDigest: parsed.digest !== undefined, repository: parsed.repository };
}

export function sortedStrings(values: readonly string[]): string[] {
  return [...values].sort();
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortMounts(mounts: readonly MountModel[]): MountModel[] {
  return [...mounts].sort(
    (a, b) =>
      compareText(a.target, b.target) ||
      compareText(a.type, b.type) ||
      compareText(a.source, b.source),
  );
}

export function sortPorts(ports: readonly PortModel[]): PortModel[] {
  return [...ports].sort(
    (a, b) =>
      a.containerPort - b.containerPort ||
      compareText(a.protocol, b.protocol) ||
      compareText(a.hostIp, b.hostIp) ||
      a.hostPort - b.hostPort,
  );
}

export function sortUlimits(ulimits: readonly UlimitModel[]): UlimitModel[] {
  return [...ulimits].sort(
    (a, b) => compareText(a.name, b.name) || a.soft - b.soft || a.hard - b.hard,
  );
}

/** Splits a tmpfs options string (`rw,noexec,nosuid,nodev,size=64m`) into its options. */
export function splitTmpfsOptions(options: string): string[] {
  return options
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
}

/** Whether tmpfs options make the mount read-only (the last of `ro` / `rw` wins). */
export function tmpfsOptionsReadOnly(options: readonly string[]): boolean {
  let readOnly = false;
  for (const option of options) {
    if (option === "ro") readOnly = true;
    if (option === "rw") readOnly = false;
  }
  return readOnly;
}

/** A `HostConfig.Tmpfs` / `tmpfs` map entry as a mount. */
export function tmpfsMapMount(target: string, options: string): MountModel {
  const list = splitTmpfsOptions(options);
  return {
    type: "tmpfs",
    source: "",
    target,
    readOnly: tmpfsOptionsReadOnly(list),
    propagation: "",
    tmpfsOptions: list,
  };
}

/**
 * Options of a tmpfs mount made through the mounts API (`mounts` block / `HostConfig.Mounts`),
 * which carries only a size in bytes and a mode, never flags like `noexec`.
 */
export function mountApiTmpfsOptions(
  sizeBytes: number | undefined,
  mode: number | undefined,
): string[] {
  const options: string[] = [];
  if (sizeBytes !== undefined && sizeBytes > 0) options.push(`size=${sizeBytes}`);
  if (mode !== undefined && mode > 0) options.push(`mode=${mode.toString(8)}`);
  return options;
}

/** Docker's default bridge network mode names. */
export function isDefaultBridgeMode(mode: string): boolean {
  return mode === "" || mode === "default" || mode === "bridge";
}

/**
 * The networks a container ends up on, as `NetworkSettings.Networks` lists them: the network
 * of its mode (`bridge` for the default, none for `container:<id>`), left for the
 * user-defined networks when there are any, as the provider does with `networks_advanced`.
 */
export function networksOf(networkMode: string, userDefined: readonly string[]): string[] {
  const names = new Set(userDefined);
  const sharesAnother = networkMode.startsWith("container:");
  if (userDefined.length === 0) {
    if (isDefaultBridgeMode(networkMode)) names.add("bridge");
    else if (!sharesAnother) names.add(networkMode);
  } else if (!isDefaultBridgeMode(networkMode) && !sharesAnother) {
    names.add(networkMode);
  }
  return sortedStrings([...names]);
}

/** PIDs limits 0 and below mean unlimited: the model says `undefined`. */
export function pidsLimitOrUnlimited(limit: number | undefined): number | undefined {
  return limit !== undefined && limit > 0 ? limit : undefined;
}

/**
 * `HostConfig.IpcMode` when none is asked for: the daemon's `default-ipc-mode`, `private` since
 * Docker 19.03 (seen on the project's Engine 20.10: `docker inspect` shows `"IpcMode": "private"`).
 */
export const ENGINE_DEFAULT_IPC_MODE = "private";

/**
 * `HostConfig.LogConfig.Type` when none is asked for: the daemon's default log driver,
 * `json-file` unless the host's daemon.json says otherwise (seen on the project's engine).
 */
export const ENGINE_DEFAULT_LOG_DRIVER = "json-file";

/**
 * A model whose every setting is `why`: for input that cannot be read at all (not an object),
 * so that each rule reports `unknown` with the reason instead of the resource disappearing.
 */
export function unreadableModel(
  identity: Pick<ContainerModel, "source" | "kind" | "resource">,
  why: Unknown,
): ContainerModel {
  return {
    ...identity,
    name: why,
    image: why,
    user: why,
    privileged: why,
    capAdd: why,
    capDrop: why,
    securityOpt: why,
    readOnlyRootfs: why,
    mounts: why,
    ports: why,
    networkMode: why,
    networks: why,
    pidMode: why,
    ipcMode: why,
    utsMode: why,
    usernsMode: why,
    cgroupParent: why,
    devices: why,
    memoryBytes: why,
    memorySwapBytes: why,
    cpuShares: why,
    nanoCpus: why,
    cpuQuota: why,
    cpuPeriod: why,
    pidsLimit: why,
    ulimits: why,
    restartPolicy: why,
    healthcheck: why,
    logConfig: why,
    labels: why,
    init: why,
    groupAdd: why,
    sysctls: why,
    cgroupnsMode: why,
    runtime: why,
    gpus: why,
    env: why,
  };
}
