import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer } from "cdktf-hardened-docker";

/** Inputs of {@link WorkerStack}. */
export interface WorkerStackProps {
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
}

/**
 * A background worker with no network at all (`network_mode: none`): it publishes no port and
 * needs no network, so it gets none. Scratch space is the 64 MiB noexec tmpfs at /tmp.
 */
export class WorkerStack extends TerraformStack {
  public readonly worker: HardenedContainer;

  constructor(scope: Construct, id: string, props: WorkerStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    this.worker = new HardenedContainer(this, "worker", {
      image: props.image,
      audit: {
        owner: "data-team",
        purpose: "compacts the nightly exports",
        expires: props.expires,
        deployedBy: props.deployedBy,
        ticket: "DATA-42",
      },
      resources: { memoryMiB: 128, cpus: 0.25, pids: 64 },
      healthcheck: { test: ["CMD", "/bin/healthcheck"], intervalSeconds: 5, startPeriodSeconds: 2 },
      clock: props.clock,
    });
  }
}
