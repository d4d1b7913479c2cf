import { Rule, Verdict } from "./rule";
import { Maybe } from "./unknown";

/**
 * The normalized model of a Docker network's security-relevant settings, built from a
 * `docker_network` resource of synthesized JSON or a live network (`docker network inspect`).
 * Network rules read only this model, as container rules read the container model.
 */
export interface NetworkModel {
  readonly source: "terraform" | "inspect";
  /** `docker_network.<name>` for synthesized input, `network:<name>` for a live network. */
  readonly resource: string;
  /** The construct path that produced the resource, when known (cdktf metadata). */
  readonly constructPath?: string;
  readonly name: Maybe<string>;
  /** The driver; `bridge` when not given (the provider's and the engine's default). */
  readonly driver: Maybe<string>;
  /** Driver options, e.g. `{ "com.docker.network.bridge.enable_icc": "false" }`. */
  readonly options: Maybe<Readonly<Record<string, string>>>;
  /** No route out of the network. */
  readonly internal: Maybe<boolean>;
  /** Swarm's routing-mesh network (`ingress`). */
  readonly ingress: Maybe<boolean>;
}

/** One network rule: a rule's metadata (see {@link Rule}) and a pure function of the network model. */
export interface NetworkRule extends Omit<Rule, "check"> {
  /** Marks a network rule, so one rules list can hold container and network rules. */
  readonly target: "network";
  readonly check: (network: NetworkModel) => Verdict;
}
