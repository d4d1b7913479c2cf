import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer, HardenedNetwork, Suppressions } from "cdktf-hardened-docker";

/** Inputs of {@link CacheStack}. */
export interface CacheStackProps {
  /** The image, pinned by digest (`name@sha256:<64 hex>`). */
  readonly image: string;
  /**
   * The last day it may run (`YYYY-MM-DD`, at most a year ahead): a fixed date in your code, so
   * a reviewer sees it coming. Changing it replaces the container.
   */
  readonly expires: string;
  /** @default read by the constructs from the environment (GITHUB_ACTOR, USER, ...) */
  readonly deployedBy?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /**
   * Data directory of the cache: an in-memory tmpfs, so nothing outlives the container.
   * @default "/data"
   */
  readonly dataPath?: string;
  /**
   * The server's command line. For Redis, for example:
   * `["redis-server", "--dir", "/data", "--save", "", "--appendonly", "no", "--protected-mode", "no"]`
   * (no snapshots; protected mode off because only containers on the internal network reach it).
   * @default the image's own command
   */
  readonly command?: readonly string[];
  /**
   * The health check command, e.g. `["CMD", "redis-cli", "ping"]` for Redis.
   * @default ["CMD", "/bin/healthcheck"]
   */
  readonly healthcheck?: readonly string[];
  /**
   * Memory limit in MiB. The tmpfs data counts against it, so it must leave room for the server.
   * @default 384 (128 MiB of data plus the server)
   */
  readonly memoryMiB?: number;
}

/**
 * An in-memory cache (think Redis or memcached) reachable only from containers on its network:
 * an internal HardenedNetwork (no route out, inter-container traffic on, since that is the
 * point), no published port, data on a size-capped noexec tmpfs, no persistence. Clients join
 * `cacheNetwork`.
 */
export class CacheStack extends TerraformStack {
  public readonly cacheNetwork: HardenedNetwork;
  public readonly cache: HardenedContainer;

  constructor(scope: Construct, id: string, props: CacheStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const expires = props.expires;
    const audit = {
      owner: "platform-team",
      purpose: "session cache for the web tier",
      expires,
      deployedBy: props.deployedBy,
    };
    this.cacheNetwork = HardenedNetwork.bridge(this, "network", {
      name: `${id}-net`,
      interContainerTraffic: true,
      audit,
      clock: props.clock,
    });
    // The web tier's containers on this bridge must reach the cache: ICC stays on, on purpose.
    Suppressions.add(this.cacheNetwork, [
      {
        ruleId: "HD-BRIDGE-ICC",
        reason: "the web tier reaches the cache over this bridge; nothing else joins it",
      },
    ]);
    this.cache = new HardenedContainer(this, "cache", {
      image: props.image,
      audit: { ...audit, contact: "#platform" },
      networks: [this.cacheNetwork],
      tmpfs: [{ path: props.dataPath ?? "/data", sizeMiB: 128 }],
      command: props.command,
      resources: { memoryMiB: props.memoryMiB ?? 384, cpus: 0.5, pids: 64 },
      healthcheck: {
        test: props.healthcheck ?? ["CMD", "/bin/healthcheck"],
        intervalSeconds: 5,
        startPeriodSeconds: 2,
      },
      clock: props.clock,
    });
  }
}
