import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Secret } from "@cdktf/provider-docker/lib/secret";
import { AuditProps, Clock, HardenedNetwork, HardenedService, Relax } from "cdktf-hardened-docker";

/** Inputs of {@link SwarmTwoTierStack}. */
export interface SwarmTwoTierStackProps {
  /** The web tier's image, pinned by digest. It serves HTTP on 8080 and has `/bin/healthcheck`. */
  readonly webImage: string;
  /** The back end's image, pinned by digest. It listens on 8080 and has `/bin/healthcheck`. */
  readonly apiImage: string;
  /**
   * The back end's database password, mounted as `/run/secrets/db-password` (never an
   * environment variable, CIS 7.4). Read it from your secret store; it lands in the Terraform
   * state like every `docker_secret` value.
   */
  readonly dbPassword: string;
  /**
   * Node port of the web tier.
   * @default 18080 - above 1024, so no privileged-port relaxation (CIS 5.8)
   */
  readonly webPort?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /**
   * The last day it may run (`YYYY-MM-DD`, at most a year ahead): a fixed date in your code, so
   * a reviewer sees it coming.
   */
  readonly expires: string;
  /** @default derived from the environment by the constructs */
  readonly deployedBy?: string;
}

/**
 * A two-tier Docker Swarm stack: a web service published on one node port, and a back-end
 * service that only the web tier can reach, on an internal encrypted overlay with no route out.
 * The back end reads its database password from a Swarm secret mounted as a file (0400, owned
 * by its non-root user). Both services keep every HardenedService default: all capabilities
 * dropped, read-only root, uid 65534, memory and CPU limits, health checks, bounded restarts,
 * rolling updates with rollback.
 */
export class SwarmTwoTierStack extends TerraformStack {
  public readonly frontNetwork: HardenedNetwork;
  public readonly backNetwork: HardenedNetwork;
  public readonly dbPassword: Secret;
  public readonly web: HardenedService;
  public readonly api: HardenedService;

  constructor(scope: Construct, id: string, props: SwarmTwoTierStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const audit = (purpose: string): AuditProps => ({
      owner: "shop-team",
      purpose,
      expires: props.expires,
      deployedBy: props.deployedBy,
      contact: "#shop-team",
    });
    this.frontNetwork = HardenedNetwork.overlay(this, "front", {
      name: `${id}-front`,
      // The web tier publishes a port, which needs a network with a route out.
      internal: false,
      audit: audit("the web tier's overlay: published port, encrypted between nodes"),
      clock: props.clock,
    });
    this.backNetwork = HardenedNetwork.overlay(this, "back", {
      name: `${id}-back`,
      audit: audit("the back end's overlay: no route out, encrypted between nodes"),
      clock: props.clock,
    });
    this.dbPassword = new Secret(this, "db-password", {
      name: `${id}-db-password`,
      data: Buffer.from(props.dbPassword, "utf8").toString("base64"),
    });
    const healthcheck = {
      test: ["CMD", "/bin/healthcheck"],
      intervalSeconds: 5,
      startPeriodSeconds: 2,
    };
    this.api = new HardenedService(this, "api", {
      name: `${id}-api`,
      image: props.apiImage,
      audit: audit("the shop's back-end API, reachable from the web tier only"),
      networks: [this.backNetwork],
      secrets: [{ secret: this.dbPassword, fileName: "db-password" }],
      resources: { memoryMiB: 64, cpus: 0.25 },
      healthcheck,
      clock: props.clock,
    });
    this.web = new HardenedService(this, "web", {
      name: `${id}-web`,
      image: props.webImage,
      audit: audit("serves the shop's web pages"),
      networks: [this.frontNetwork, this.backNetwork],
      ports: [{ internal: 8080, external: props.webPort ?? 18080, publishMode: "host" }],
      resources: { memoryMiB: 64, cpus: 0.25 },
      healthcheck,
      relaxations: [
        Relax.publishOnAllInterfaces(
          "Swarm ports have no host address; the node firewall admits only the load balancer",
        ),
      ],
      clock: props.clock,
    });
  }
}
