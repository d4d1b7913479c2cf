import { hostPathBoundByVolumeOptions } from "../policy/facts/host-paths";
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
  let boundHostPath: string | undefined;
  if (mountType === "volume") {
    const volumeOptions = readBlock(`${at}.volume_options`, m.volume_options);
    if (isUnknown(volumeOptions)) return volumeOptions;
    const driverOptions = readStringMap(
      `${at}.volume_options.driver_options`,
      volumeOptions?.driver_options,
    );
    if (isUnknown(driverOptions)) return driverOptions;
    boundHostPath = hostPathBoundByVolumeOptions(driverOptions);
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
    ...(boundHostPath !== undefined ? { boundHostPath } : {}),
  };
}

/** Host paths bound by the stack's `docker_volume` resources (`driver_opts`), by volume name. */
const volumeIndex = new WeakMap<object, ReadonlyMap<string, Maybe<string | undefined>>>();

function volumeHostPaths(
  stack: Readonly<Record<string, unknown>>,
): ReadonlyMap<string, Maybe<string | undefined>> {
  const cached = volumeIndex.get(stack);
  if (cached !== undefined) return cached;
  const index = new Map<string, Maybe<string | undefined>>();
  const volumes = isRecord(stack.resource) ? stack.resource.docker_volume : undefined;
  if (isRecord(volumes)) {
    for (const [resourceName, body] of Object.entries(volumes)) {
      if (!isRecord(body)) continue;
      const name = readString(`docker_volume.${resourceName}.name`, body.name);
      if (isUnknown(name) || name === undefined) continue;
      const options = readStringMap(`docker_volume.${resourceName}.driver_opts`, body.driver_opts);
      index.set(name, isUnknown(options) ? options : hostPathBoundByVolumeOptions(options));
    }
  }
  volumeIndex.set(stack, index);
  return index;
}

/**
 * A volume mount with the host path its `docker_volume` resource's driver options bind, when the
 * stack declares that volume (`type=none,o=bind,device=/` makes a named volume a bind of `/`).
 */
export function withVolumeHostPath(
  mount: MountModel,
  stack: Readonly<Record<string, unknown>>,
): Maybe<MountModel> {
  if (mount.type !== "volume" || mount.boundHostPath !== undefined) return mount;
  const bound = volumeHostPaths(stack).get(mount.source);
  if (isUnknown(bound)) return bound;
  return bound === undefined ? mount : { ...mount, boundHostPath: bound };
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
