import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer, HardenedNetwork } from "cdktf-hardened-docker";

/** Inputs of {@link WebServiceStack}. */
export interface WebServiceStackProps {
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
 * A web service: an HTTP server published on 127.0.0.1:18080, on its own user-defined bridge
 * network (not docker0, CIS 5.30) with inter-container traffic off. Every other setting is a
 * HardenedContainer default.
 */
export class WebServiceStack extends TerraformStack {
  public readonly web: HardenedContainer;

  constructor(scope: Construct, id: string, props: WebServiceStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const network = HardenedNetwork.bridge(this, "network", {
      name: `${id}-net`,
      // The container publishes a port, which Docker only does from a network with a route out.
      internal: false,
      audit: {
        owner: "web-team",
        purpose: "the web tier's network: published port, no neighbours",
        expires: props.expires,
        deployedBy: props.deployedBy,
        contact: "#web-team",
      },
      clock: props.clock,
    });
    this.web = new HardenedContainer(this, "web", {
      image: props.image,
      audit: {
        owner: "web-team",
        purpose: "serves the public web pages",
        expires: props.expires,
        deployedBy: props.deployedBy,
        contact: "#web-team",
      },
      ports: [{ internal: 8080, external: 18080 }],
      networks: [network],
      healthcheck: { test: ["CMD", "/bin/healthcheck"], intervalSeconds: 5, startPeriodSeconds: 2 },
      clock: props.clock,
    });
  }
}
