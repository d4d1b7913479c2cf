import { Construct } from "constructs";
import { Network } from "@cdktf/provider-docker/lib/network";
import { replaceOnLabelChange } from "../audit/label-lifecycle";
import { watchStack } from "../checks/stack-watch";
import { TerraformDataResource } from "../construct/terraform-data";
import { defaultDockerName } from "../construct/default-name";
import { HardenedNetworkDriver, HardenedNetworkProps } from "./hardened-network-props";
import { ResolvedNetworkSpec, resolveHardenedNetworkProps } from "./resolve-network";
import { requireProvenDockerProvider } from "../provider/provider-version";

/**
 * A user-defined Docker network, closed by default: a bridge (off docker0, CIS 5.30) with
 * inter-container traffic disabled, or a Swarm overlay encrypted between nodes (CIS 7.3); both
 * internal (no route out) unless asked, and labelled for audit like every resource of the
 * library. Pass it to HardenedContainer (bridge) or HardenedService (overlay) `networks`.
 *
 * Synthesizes one `docker_network`, and a `terraform_data` that carries its labels so a new
 * deployer alone does not replace it.
 */
export class HardenedNetwork extends Construct {
  /** A user-defined bridge on one host, for HardenedContainer. */
  public static bridge(
    scope: Construct,
    id: string,
    props: Omit<HardenedNetworkProps, "driver" | "encrypted">,
  ): HardenedNetwork {
    return new HardenedNetwork(scope, id, { ...props, driver: "bridge" });
  }

  /** An encrypted Swarm overlay, for HardenedService. */
  public static overlay(
    scope: Construct,
    id: string,
    props: Omit<HardenedNetworkProps, "driver" | "interContainerTraffic">,
  ): HardenedNetwork {
    return new HardenedNetwork(scope, id, { ...props, driver: "overlay" });
  }

  /** The synthesized `docker_network`. */
  public readonly network: Network;
  /**
   * Holds every label but `deployed-by`, and the driver options, which Docker adds to (see
   * HardenedContainer.labelsTrigger).
   */
  public readonly labelsTrigger: TerraformDataResource;
  /** The fully resolved configuration (every default applied). */
  public readonly spec: ResolvedNetworkSpec;

  constructor(scope: Construct, id: string, props: HardenedNetworkProps) {
    super(scope, id);
    watchStack(this);
    this.spec = resolveHardenedNetworkProps(props, {
      constructPath: this.node.path,
      defaultName: defaultDockerName(this),
    });
    requireProvenDockerProvider(this);
    this.network = new Network(this, "network", {
      name: this.spec.name,
      driver: this.spec.driver,
      internal: this.spec.internal,
      options: { ...this.spec.options },
      labels: Object.entries(this.spec.labels).map(([label, value]) => ({ label, value })),
    });
    // Docker adds driver options of its own (an overlay's vxlanid_list), which the provider reads
    // back into the ForceNew `options`; a network's options cannot change after creation anyway.
    this.labelsTrigger = replaceOnLabelChange(this, this.network, this.spec.labels, {
      readBackDifferently: { options: this.spec.options },
    });
  }

  /**
   * The network's name as a reference (`${docker_network.<id>.name}`), so whatever joins it
   * depends on it and is created after it.
   */
  public get name(): string {
    return this.network.name;
  }

  public get driver(): HardenedNetworkDriver {
    return this.spec.driver;
  }

  /** True when the network has no route out. */
  public get internal(): boolean {
    return this.spec.internal;
  }
}
