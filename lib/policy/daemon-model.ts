import { Rule, Verdict } from "./rule";
import { Maybe } from "./unknown";

/**
 * The normalized model of a Docker Engine (the daemon itself, not its containers), built from
 * what the Engine API shows (`GET /info`, `/version`, `/swarm`) and what the client knows of
 * the endpoint it dialled. Daemon rules read only this model, as container rules read the
 * container model; a field the engine did not answer is an {@link Maybe} `Unknown`.
 */
export interface DaemonModel {
  /** `engine:<name>`: the engine as the report names it. */
  readonly resource: string;
  /** How the client reaches the engine. */
  readonly endpoint: DaemonEndpoint;
  /** `ServerVersion` of `/version` (e.g. `20.10.24+dfsg1`). */
  readonly serverVersion: Maybe<string>;
  /** `SecurityOptions` of `/info`: `name=seccomp,profile=default`, `name=userns`, `name=rootless`, `name=cgroupns`, ... */
  readonly securityOptions: Maybe<readonly string[]>;
  /** `LiveRestoreEnabled`. */
  readonly liveRestore: Maybe<boolean>;
  /** `CgroupVersion`: `"1"` or `"2"`. */
  readonly cgroupVersion: Maybe<string>;
  /** `RegistryConfig.InsecureRegistryCIDRs` and the index configs marked `Secure: false`. */
  readonly insecureRegistries: Maybe<readonly string[]>;
  /** `RegistryConfig.Mirrors`. */
  readonly registryMirrors: Maybe<readonly string[]>;
  /** `ExperimentalBuild`. */
  readonly experimental: Maybe<boolean>;
  /** `DefaultRuntime` and the path of each configured runtime (`Runtimes`). */
  readonly defaultRuntime: Maybe<string>;
  readonly runtimes: Maybe<Readonly<Record<string, string>>>;
  /** `LoggingDriver`. */
  readonly loggingDriver: Maybe<string>;
  /**
   * The daemon's default `--log-opt`s are not in `/info`; the daemon merges them into every
   * container it creates with its default driver, so the log configurations of the engine's
   * containers on that driver are the evidence (one entry per such container read).
   */
  readonly defaultDriverLogConfigs: readonly {
    readonly resource: string;
    readonly config: Readonly<Record<string, string>>;
  }[];
  /** Swarm facts; `undefined` when the engine is not a Swarm manager (not in a swarm, or a worker). */
  readonly swarm: Maybe<DaemonSwarm | undefined>;
}

/** How the client reaches an engine. */
export interface DaemonEndpoint {
  /** The address as given: `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`. */
  readonly address: string;
  readonly transport: "unix" | "npipe" | "tcp" | "ssh" | "other";
  /** For `tcp://`: whether the client speaks TLS to it (DOCKER_TLS_VERIFY / a context's TLS material). */
  readonly tls?: boolean;
  /** For `tcp://` with TLS: whether the client verifies the server's certificate. */
  readonly tlsVerify?: boolean;
}

/** What a Swarm manager answers on `GET /swarm`. */
export interface DaemonSwarm {
  /** `Spec.EncryptionConfig.AutoLockManagers`. */
  readonly autolock: Maybe<boolean>;
  /** `Spec.CAConfig.NodeCertExpiry`, in nanoseconds (Go's `time.Duration`). */
  readonly nodeCertExpiryNs: Maybe<number>;
  /** `TLSInfo.TrustRoot`: the swarm's root CA certificate (PEM). */
  readonly trustRoot: Maybe<string>;
}

/** One daemon rule: a rule's metadata (see {@link Rule}) and a pure function of the daemon model. */
export interface DaemonRule extends Omit<Rule, "check"> {
  readonly check: (daemon: DaemonModel, context: { readonly now: Date }) => Verdict;
}
