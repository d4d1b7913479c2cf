import { VolumeHostAccess, volumeHostAccess } from "../policy/facts/volume-host-access";
import { MountModel } from "../policy/model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import { mountApiTmpfsOptions } from "../policy/normalize";
import {
  ReferenceResolver,
  describeValue,
  isRecord,
  readBlock,
  readBoolean,
  readNumber,
  readString,
  readStringMap,
} from "./terraform-values";

/**
 * Pieces the Terraform adapters for `docker_container` and `docker_service` share: reference
 * resolution, never-throwing field readers, and the `mounts` block, which both resources write
 * the same way.
 */

/** Resolves nested string attributes that may be references to named resources. */
export interface NestedStringReader {
  nestedString(attribute: string, value: unknown): Maybe<string | undefined>;
}

const NAMED_RESOURCE_REF_RE = /^\$\{(docker_network|docker_volume)\.([A-Za-z0-9_-]+)\.(name|id)\}$/;

/** Resolves `${docker_network.<n>.name|id}` / `${docker_volume.<n>.name|id}` to a literal name. */
export function namedResourceResolver(stack: Readonly<Record<string, unknown>>): ReferenceResolver {
  return (expression) => {
    const match = NAMED_RESOURCE_REF_RE.exec(expression);
    if (!match || !isRecord(stack.resource)) return undefined;
    const ofType = stack.resource[match[1]];
    const resource = isRecord(ofType) ? ofType[match[2]] : undefined;
    const name = isRecord(resource) ? readString("name", resource.name) : undefined;
    return typeof name === "string" && name.length > 0 ? name : undefined;
  };
}

/** Runs one field reader; a reader that throws gives an Unknown, never a crash. */
export function field<T>(attribute: string, read: () => Maybe<T>): Maybe<T> {
  try {
    return read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Unknown(`${attribute} could not be read: ${reason}`);
  }
}

export function required<T>(attribute: string, value: Maybe<T | undefined>): Maybe<T> {
  return value === undefined ? new Unknown(`${attribute} is not set`) : value;
}

const MOUNT_TYPES = ["bind", "volume", "tmpfs"] as const;

export function mountBlock(
  r: NestedStringReader,
  m: Record<string, unknown>,
  at: string,
): Maybe<MountModel> {
  const type = readString(`${at}.type`, m.type);
  if (isUnknown(type)) return type;
  const mountType = MOUNT_TYPES.find((t) => t === type);
  if (mountType === undefined) {
    return new Unknown(
      `${at}.type should be bind, volume or tmpfs but is ${describeValue(m.type)}`,
    );
  }
  const target = required(`${at}.target`, readString(`${at}.target`, m.target));
  if (isUnknown(target)) return target;
  const source = r.nestedString(`${at}.source`, m.source);
  if (isUnknown(source)) return source;
  const readOnly = readBoolean(`${at}.read_only`, m.read_only);
  if (isUnknown(readOnly)) return readOnly;
  let propagation = "";
  let tmpfsOptions: string[] | undefined;
  let access: VolumeHostAccess | undefined;
  if (mountType === "volume") {
    const volumeOptions = readBlock(`${at}.volume_options`, m.volume_options);
    if (isUnknown(volumeOptions)) return volumeOptions;
    const driver = readString(`${at}.volume_options.driver_name`, volumeOptions?.driver_name);
    if (isUnknown(driver)) return driver;
    const driverOptions = readStringMap(
      `${at}.volume_options.driver_options`,
      volumeOptions?.driver_options,
    );
    if (isUnknown(driverOptions)) return driverOptions;
    // Docker creates the volume with these settings when no volume of that name exists yet.
    access = volumeHostAccess(driver, driverOptions);
    if (access.kind === "unknown") return new Unknown(`${at}: ${access.reason}`);
  }
  if (mountType === "bind") {
    const bindOptions = readBlock(`${at}.bind_options`, m.bind_options);
    if (isUnknown(bindOptions)) return bindOptions;
    const given = readString(`${at}.bind_options.propagation`, bindOptions?.propagation);
    if (isUnknown(given)) return given;
    propagation = given || "rprivate";
  }
  if (mountType === "tmpfs") {
    const options = readBlock(`${at}.tmpfs_options`, m.tmpfs_options);
    if (isUnknown(options)) return options;
    const size = readNumber(`${at}.tmpfs_options.size_bytes`, options?.size_bytes);
    if (isUnknown(size)) return size;
    const mode = readNumber(`${at}.tmpfs_options.mode`, options?.mode);
    if (isUnknown(mode)) return mode;
    tmpfsOptions = mountApiTmpfsOptions(size, mode);
  }
  return {
    type: mountType,
    source: source ?? "",
    target,
    readOnly: readOnly ?? false,
    propagation,
    ...(tmpfsOptions !== undefined ? { tmpfsOptions } : {}),
    ...(access?.kind === "host-paths"
      ? { volumeHostPaths: access.paths, volumeAccess: access.how }
      : {}),
  };
}

/** The stack's `docker_volume` resources, read once per configuration object. */
interface VolumeIndex {
  /** What each volume reaches, by its name; two resources of one name give two entries. */
  readonly byName: ReadonlyMap<string, readonly { address: string; access: VolumeHostAccess }[]>;
  /**
   * Volumes whose name the audit cannot pin down (a variable, a reference, a generated name)
   * and that reach beyond Docker's own folder: any volume a container mounts may be one of them.
   */
  readonly unpinned: readonly { address: string; why: string }[];
}

const volumeIndexes = new WeakMap<object, VolumeIndex>();

function accessOfVolume(
  address: string,
  body: Readonly<Record<string, unknown>>,
): VolumeHostAccess {
  if (isRecord(body.dynamic)) {
    return { kind: "unknown", reason: `${address} has a dynamic block: only known at plan time` };
  }
  const driver = readString(`${address}.driver`, body.driver);
  if (isUnknown(driver)) return { kind: "unknown", reason: driver.explanation };
  const options = readStringMap(`${address}.driver_opts`, body.driver_opts);
  if (isUnknown(options)) return { kind: "unknown", reason: options.explanation };
  return volumeHostAccess(driver, options);
}

function volumeIndex(stack: Readonly<Record<string, unknown>>): VolumeIndex {
  const cached = volumeIndexes.get(stack);
  if (cached !== undefined) return cached;
  const byName = new Map<string, { address: string; access: VolumeHostAccess }[]>();
  const unpinned: { address: string; why: string }[] = [];
  const volumes = isRecord(stack.resource) ? stack.resource.docker_volume : undefined;
  for (const [resourceName, body] of Object.entries(isRecord(volumes) ? volumes : {})) {
    if (!isRecord(body)) continue;
    const address = `docker_volume.${resourceName}`;
    const access = accessOfVolume(address, body);
    const name = readString(`${address}.name`, body.name);
    if (isUnknown(name) || name === undefined || name === "") {
      if (access.kind === "none") continue;
      const named = isUnknown(name)
        ? name.explanation
        : `${address} has no name (Docker generates one)`;
      const reach = access.kind === "unknown" ? access.reason : access.how;
      unpinned.push({ address, why: `${named}; it ${reach}` });
      continue;
    }
    const entries = byName.get(name) ?? [];
    entries.push({ address, access });
    byName.set(name, entries);
  }
  const index = { byName, unpinned };
  volumeIndexes.set(stack, index);
  return index;
}

/**
 * A volume mount with the host paths its stack's `docker_volume` shows (`type=none,o=bind,
 * device=/` makes a named volume a bind of `/`), or Unknown when the audit cannot pin the volume
 * down: two `docker_volume` resources of its name (one may be a `count = 0` decoy), a volume
 * whose name is only known at apply time that reaches the host (it may be this one), or driver
 * settings it cannot classify. A volume the stack does not declare is Docker's own folder.
 */
export function withVolumeHostPath(
  mount: MountModel,
  stack: Readonly<Record<string, unknown>>,
): Maybe<MountModel> {
  if (mount.type !== "volume") return mount;
  const index = volumeIndex(stack);
  const declared = index.byName.get(mount.source) ?? [];
  if (declared.length > 1) {
    return new Unknown(
      `${declared.length} docker_volume resources are named ${JSON.stringify(mount.source)} (${declared.map((d) => d.address).join(", ")}): which one the mount gets cannot be told from the configuration`,
    );
  }
  const volume = declared[0];
  if (volume === undefined) {
    const doubt = index.unpinned[0];
    if (doubt !== undefined) {
      return new Unknown(
        `volume ${JSON.stringify(mount.source)} may be ${doubt.address}, whose name the audit cannot pin down: ${doubt.why}`,
      );
    }
    return mount;
  }
  if (volume.access.kind === "unknown") {
    return new Unknown(
      `volume ${JSON.stringify(mount.source)} (${volume.address}): ${volume.access.reason}`,
    );
  }
  if (volume.access.kind === "none") return mount;
  return {
    ...mount,
    volumeHostPaths: [...(mount.volumeHostPaths ?? []), ...volume.access.paths],
    volumeAccess:
      mount.volumeAccess !== undefined
        ? `${mount.volumeAccess}; ${volume.access.how}`
        : volume.access.how,
  };
}

export function withDefault<T>(value: Maybe<T | undefined>, fallback: T): Maybe<T> {
  return value === undefined ? fallback : value;
}

export function constructPathOf(body: Readonly<Record<string, unknown>>): string | undefined {
  const meta = body["//"];
  const metadata = isRecord(meta) ? meta.metadata : undefined;
  const path = isRecord(metadata) ? metadata.path : undefined;
  return typeof path === "string" ? path : undefined;
}
