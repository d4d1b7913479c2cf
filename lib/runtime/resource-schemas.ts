import { z } from "zod";
import { repeatedBlock, stringMap } from "./block-schemas";

/**
 * Schemas of the non-container resources the `up` harness deploys (attribute names as in
 * synthesized JSON). Attributes it cannot honour are refused, not ignored.
 */

const label = z.strictObject({ label: z.string(), value: z.string() });

const ipamConfig = z.strictObject({
  subnet: z.string().optional(),
  gateway: z.string().optional(),
  ip_range: z.string().optional(),
  aux_address: stringMap.optional(),
});

/** `docker_network`. */
export const networkAttributesSchema = z.strictObject({
  name: z.string().min(1),
  driver: z.string().optional(),
  internal: z.boolean().optional(),
  attachable: z.boolean().optional(),
  ingress: z.boolean().optional(),
  ipv6: z.boolean().optional(),
  check_duplicate: z.boolean().optional(),
  options: stringMap.optional(),
  labels: repeatedBlock(label),
  ipam_driver: z.string().optional(),
  ipam_options: stringMap.optional(),
  ipam_config: repeatedBlock(ipamConfig),
});
export type NetworkAttributes = z.output<typeof networkAttributesSchema>;

/** `docker_volume`. */
export const volumeAttributesSchema = z.strictObject({
  name: z.string().min(1).optional(),
  driver: z.string().optional(),
  driver_opts: stringMap.optional(),
  labels: repeatedBlock(label),
});
export type VolumeAttributes = z.output<typeof volumeAttributesSchema>;

/** `docker_image` (pull only: `build` needs a build context the harness does not handle). */
export const imageAttributesSchema = z.strictObject({
  name: z.string().min(1),
  keep_locally: z.boolean().optional(),
  force_remove: z.boolean().optional(),
  platform: z.string().optional(),
  pull_triggers: z.array(z.string()).optional(),
  triggers: stringMap.optional(),
  timeouts: z.unknown().optional(),
});
export type ImageAttributes = z.output<typeof imageAttributesSchema>;

/** `data.docker_registry_image`. */
export const registryImageAttributesSchema = z.strictObject({
  name: z.string().min(1),
  insecure_skip_verify: z.boolean().optional(),
});
export type RegistryImageAttributes = z.output<typeof registryImageAttributesSchema>;
