import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer, HardenedNetwork, Relax } from "cdktf-hardened-docker";

/** Inputs of {@link RelaxedLegacyStack}. */
export interface RelaxedLegacyStackProps {
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
 * A legacy service that needs two exceptions, each typed and reasoned: the host port 80 (a
 * privileged port, CIS 5.8) and an executable tmpfs for a template cache. Each relaxation is
 * written as a label on the container and suppresses, with its reason, the rule it waives.
 */
export class RelaxedLegacyStack extends TerraformStack {
  public readonly legacy: HardenedContainer;

  constructor(scope: Construct, id: string, props: RelaxedLegacyStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const network = HardenedNetwork.bridge(this, "network", {
      name: `${id}-net`,
      // The container publishes a port, which Docker only does from a network with a route out.
      internal: false,
      audit: {
        owner: "platform-team",
        purpose: "the legacy portal's network until its migration",
        expires: props.expires,
        deployedBy: props.deployedBy,
        ticket: "PLAT-7",
      },
      clock: props.clock,
    });
    this.legacy = new HardenedContainer(this, "legacy", {
      image: props.image,
      audit: {
        owner: "platform-team",
        purpose: "legacy intranet portal until its migration",
        expires: props.expires,
        deployedBy: props.deployedBy,
        ticket: "PLAT-7",
      },
      ports: [{ internal: 8080, external: 80 }],
      networks: [network],
      tmpfs: [{ path: "/var/cache/templates", sizeMiB: 16 }],
      healthcheck: { test: ["CMD", "/bin/healthcheck"], intervalSeconds: 5, startPeriodSeconds: 2 },
      relaxations: [
        Relax.privilegedPorts(
          [80],
          "the intranet proxy only forwards to port 80 until PLAT-7 moves it",
        ),
        Relax.executableTmpfs(
          ["/var/cache/templates"],
          "the template engine compiles pages to native code in its cache directory",
        ),
      ],
      clock: props.clock,
    });
  }
}
