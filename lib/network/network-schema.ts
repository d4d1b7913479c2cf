import { z } from "zod";
import { auditSchema } from "../audit/audit-schema";
import { clockSchema, dockerName } from "../validation/schema-helpers";
import type { SameKeys } from "../validation/same-keys";
import type { HardenedNetworkProps } from "./hardened-network-props";

/** The structural schema of HardenedNetworkProps; rules between fields live in resolve-network.ts. */
export const hardenedNetworkPropsSchema = z.strictObject({
  audit: auditSchema,
  name: dockerName("name").optional(),
  driver: z
    .enum(["bridge", "overlay"], {
      error:
        'driver must be "bridge" (one host, HardenedContainer) or "overlay" (Swarm, HardenedService)',
    })
    .optional(),
  internal: z.boolean({ error: "internal must be true or false" }).optional(),
  interContainerTraffic: z
    .boolean({ error: "interContainerTraffic must be true or false" })
    .optional(),
  encrypted: z.boolean({ error: "encrypted must be true or false" }).optional(),
  labels: z.record(z.string().min(1), z.string()).optional(),
  clock: clockSchema.optional(),
});

export type ParsedHardenedNetworkProps = z.infer<typeof hardenedNetworkPropsSchema>;

/** A prop added to HardenedNetworkProps and not to the schema (or back) fails the build. */
const networkPropsMatchSchema: SameKeys<
  HardenedNetworkProps,
  z.input<typeof hardenedNetworkPropsSchema>
> = true;
void networkPropsMatchSchema;
