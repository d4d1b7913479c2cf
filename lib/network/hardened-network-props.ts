import { AuditProps } from "../audit/audit-props";
import { Clock } from "../audit/clock";

/** The network drivers HardenedNetwork builds. */
export type HardenedNetworkDriver = "bridge" | "overlay";

export interface HardenedNetworkProps {
  /** Who, why, until when. Required (audit labels, as on every resource the library creates). */
  readonly audit: AuditProps;
  /**
   * Network name.
   * @default the construct path below the app, joined with `-` (unique per app).
   */
  readonly name?: string;
  /**
   * `bridge`: a user-defined bridge on one host, for HardenedContainer (keeps containers off
   * Docker's default bridge docker0, CIS 5.30). `overlay`: a Swarm network spanning the nodes,
   * for HardenedService (encrypted by default, CIS 7.3).
   * @default "bridge" - the single-host case; use `HardenedNetwork.overlay` for Swarm.
   */
  readonly driver?: HardenedNetworkDriver;
  /**
   * No route out of the network (Docker's `internal`): its containers reach each other but not
   * the host's other networks or the internet, and Docker publishes no ports from it.
   * @default true - a back end needs no route out, and a compromised container on it cannot
   * call home. Set `false` for the network of a container that publishes ports or calls out.
   */
  readonly internal?: boolean;
  /**
   * Let containers on this bridge talk to each other
   * (`com.docker.network.bridge.enable_icc`). Bridge only: an overlay has no such option.
   * @default false - a container that is taken over cannot probe its neighbours; give `true`
   * when the containers on the network must call each other (a web tier and its database).
   */
  readonly interContainerTraffic?: boolean;
  /**
   * Encrypt the overlay's traffic between nodes (IPsec, the `encrypted` driver option, CIS 7.3).
   * Overlay only.
   * @default true - service traffic crosses the network between hosts, where anyone on the path
   * could read it.
   */
  readonly encrypted?: boolean;
  /** Extra labels. Keys under `io.hardened-docker.` are reserved. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Where "now" comes from for expiry checks. @default the system clock */
  readonly clock?: Clock;
}
