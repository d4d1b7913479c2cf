import { DaemonEndpoint, DaemonModel, DaemonSwarm } from "../policy/daemon-model";
import { Maybe, Unknown } from "../policy/unknown";
import { isRecord } from "../validation/is-record";
import { EngineClient } from "./engine-client";
import { classifyEngineError, EngineUnavailableError } from "./engine-errors";

/**
 * The daemon adapter: `GET /info` (and, on a Swarm manager, `GET /swarm`) to the daemon model
 * the daemon rules read. `/info` holds the server version too, so `/version` is not asked.
 * Every field is validated where it is read: a missing or mistyped one is an `Unknown` naming
 * the field, never a default.
 */

/** The endpoint facts for an address, when nothing more is known (no TLS material given). */
export function endpointOf(
  address: string,
  tls?: { tls: boolean; verify: boolean },
): DaemonEndpoint {
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(address)?.[1]?.toLowerCase();
  const transport =
    scheme === "unix" || scheme === "npipe" || scheme === "tcp" || scheme === "ssh"
      ? scheme
      : scheme === "http" || scheme === "https"
        ? "tcp"
        : "other";
  return {
    address,
    transport,
    ...(transport === "tcp"
      ? { tls: tls?.tls ?? scheme === "https", tlsVerify: tls?.verify ?? scheme === "https" }
      : {}),
  };
}

function missing(field: string): Unknown {
  return new Unknown(`the engine's /info did not give ${field}`);
}

function stringField(info: Record<string, unknown>, key: string): Maybe<string> {
  const value = info[key];
  return typeof value === "string" ? value : missing(key);
}

function boolField(info: Record<string, unknown>, key: string): Maybe<boolean> {
  const value = info[key];
  return typeof value === "boolean" ? value : missing(key);
}

function stringList(value: unknown, field: string): Maybe<readonly string[]> {
  if (value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return missing(field);
  return value as string[];
}

function insecureRegistries(registry: unknown): Maybe<readonly string[]> {
  if (!isRecord(registry)) return missing("RegistryConfig");
  const cidrs = stringList(registry.InsecureRegistryCIDRs, "RegistryConfig.InsecureRegistryCIDRs");
  if (cidrs instanceof Unknown) return cidrs;
  const hosts: string[] = [];
  if (isRecord(registry.IndexConfigs)) {
    for (const [name, index] of Object.entries(registry.IndexConfigs)) {
      if (isRecord(index) && index.Secure === false) hosts.push(name);
    }
  }
  return [...cidrs, ...hosts];
}

function runtimes(value: unknown): Maybe<Readonly<Record<string, string>>> {
  if (!isRecord(value)) return missing("Runtimes");
  const out: Record<string, string> = {};
  for (const [name, runtime] of Object.entries(value)) {
    if (isRecord(runtime) && typeof runtime.path === "string") out[name] = runtime.path;
  }
  return out;
}

/** The swarm facts of `/swarm`'s answer. */
export function swarmOf(swarm: unknown): DaemonSwarm {
  const spec = isRecord(swarm) && isRecord(swarm.Spec) ? swarm.Spec : {};
  const encryption = isRecord(spec.EncryptionConfig) ? spec.EncryptionConfig : {};
  const ca = isRecord(spec.CAConfig) ? spec.CAConfig : {};
  const tlsInfo = isRecord(swarm) && isRecord(swarm.TLSInfo) ? swarm.TLSInfo : {};
  return {
    autolock:
      typeof encryption.AutoLockManagers === "boolean"
        ? encryption.AutoLockManagers
        : new Unknown("/swarm did not give Spec.EncryptionConfig.AutoLockManagers"),
    nodeCertExpiryNs:
      typeof ca.NodeCertExpiry === "number"
        ? ca.NodeCertExpiry
        : new Unknown("/swarm did not give Spec.CAConfig.NodeCertExpiry"),
    trustRoot:
      typeof tlsInfo.TrustRoot === "string" && tlsInfo.TrustRoot.trim() !== ""
        ? tlsInfo.TrustRoot
        : new Unknown("/swarm did not give TLSInfo.TrustRoot"),
  };
}

/** True when `/info` says this engine is an active Swarm manager. */
function isManager(info: Record<string, unknown>): boolean {
  const swarm = info.Swarm;
  return isRecord(swarm) && swarm.LocalNodeState === "active" && swarm.ControlAvailable === true;
}

/** The daemon model of one `/info` answer (and `/swarm`'s, read only on a manager). */
export function daemonModelOf(
  info: unknown,
  options: {
    readonly name: string;
    readonly endpoint: DaemonEndpoint;
    /** `/swarm`'s answer, or why it could not be read; undefined: not a manager. */
    readonly swarm?: Maybe<unknown>;
    /** `HostConfig.LogConfig` of the containers read, by resource. */
    readonly logConfigs?: readonly { resource: string; logConfig: unknown }[];
  },
): DaemonModel {
  const i = isRecord(info) ? info : {};
  const loggingDriver = stringField(i, "LoggingDriver");
  const defaultDriverLogConfigs: { resource: string; config: Record<string, string> }[] = [];
  if (typeof loggingDriver === "string") {
    for (const { resource, logConfig } of options.logConfigs ?? []) {
      if (!isRecord(logConfig) || logConfig.Type !== loggingDriver) continue;
      const config: Record<string, string> = {};
      if (isRecord(logConfig.Config)) {
        for (const [k, v] of Object.entries(logConfig.Config)) {
          if (typeof v === "string") config[k] = v;
        }
      }
      defaultDriverLogConfigs.push({ resource, config });
    }
  }
  const registry = i.RegistryConfig;
  return {
    resource: `engine:${options.name}`,
    endpoint: options.endpoint,
    serverVersion: stringField(i, "ServerVersion"),
    securityOptions: stringList(i.SecurityOptions, "SecurityOptions"),
    liveRestore: boolField(i, "LiveRestoreEnabled"),
    cgroupVersion: stringField(i, "CgroupVersion"),
    insecureRegistries: insecureRegistries(registry),
    registryMirrors: isRecord(registry)
      ? stringList(registry.Mirrors, "RegistryConfig.Mirrors")
      : missing("RegistryConfig"),
    experimental: boolField(i, "ExperimentalBuild"),
    defaultRuntime: stringField(i, "DefaultRuntime"),
    runtimes: runtimes(i.Runtimes),
    loggingDriver,
    defaultDriverLogConfigs,
    swarm:
      options.swarm === undefined
        ? undefined
        : options.swarm instanceof Unknown
          ? options.swarm
          : swarmOf(options.swarm),
  };
}

/** What one engine said about itself: its `/info`, and `/swarm` when it is a manager. */
export interface EngineSelf {
  readonly info: unknown;
  readonly swarm?: Maybe<unknown>;
}

/**
 * Reads `/info` and, on a Swarm manager, `/swarm`. A lost connection throws
 * {@link EngineUnavailableError}; another failure of `/info` gives `info: undefined` (every
 * daemon rule is then `unknown`), of `/swarm` an `Unknown` with the reason.
 */
export async function readEngineSelf(client: EngineClient, address: string): Promise<EngineSelf> {
  let info: unknown;
  try {
    info = await client.info();
  } catch (error) {
    const failure = classifyEngineError(error);
    if (failure.kind === "connection") {
      throw new EngineUnavailableError(
        `cannot reach the Docker Engine at ${address}: ${failure.message}`,
      );
    }
    return { info: undefined };
  }
  if (!isRecord(info) || !isManager(info)) return { info };
  if (client.swarmInspect === undefined) {
    return { info, swarm: new Unknown("this client cannot read /swarm") };
  }
  try {
    return { info, swarm: await client.swarmInspect() };
  } catch (error) {
    return { info, swarm: new Unknown(`/swarm failed: ${classifyEngineError(error).message}`) };
  }
}
