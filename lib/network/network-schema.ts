import { z } from "zod";
import { auditSchema } from "../audit/audit-schema";
import { clockSchema, dockerName } from "../validation/schema-helpers";

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
