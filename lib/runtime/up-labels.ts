import { LABEL_PREFIX } from "../policy/facts/labels";

/**
 * Labels the `up` harness puts on what it creates, so `down` removes exactly that and nothing
 * else. Containers, networks and volumes carry them; images cannot be labelled after a pull, so
 * the images `up` pulled (and may remove) are listed on the stack's containers instead.
 */
export const UpLabel = {
  /** The stack name: `down` removes what carries its stack's value. */
  stack: `${LABEL_PREFIX}.up.stack`,
  /** The resource address in the stack, e.g. `docker_container.api_container_1A2B3C4D`. */
  resource: `${LABEL_PREFIX}.up.resource`,
  /** Comma-separated image references `up` pulled with `keep_locally = false`: `down` removes them. */
  removeImages: `${LABEL_PREFIX}.up.remove-images`,
  /**
   * On secrets: SHA-256 of the data. A Swarm secret cannot be read back or changed, so a
   * repeated `up` reuses the secret only when its data is unchanged.
   */
  dataSha256: `${LABEL_PREFIX}.up.data-sha256`,
} as const;

/** Label filters (`key=value`) matching what `up` created for a stack with these extra labels. */
export function stackLabelFilters(
  stackName: string,
  extraLabels: Readonly<Record<string, string>>,
): string[] {
  return [
    `${UpLabel.stack}=${stackName}`,
    ...Object.entries(extraLabels).map(([k, v]) => `${k}=${v}`),
  ];
}
