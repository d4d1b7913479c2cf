import { z } from "zod";
import { Secret } from "@cdktf/provider-docker/lib/secret";
import { hardenedContainerPropsSchema } from "../container/props-schema";
import { HardenedNetwork } from "../network/hardened-network";
import { whole } from "../validation/schema-helpers";
import type { SameKeys } from "../validation/same-keys";
import type { HardenedServiceProps } from "./hardened-service-props";

/**
 * The structural schema of HardenedServiceProps: HardenedContainer's fields where a service
 * has the same ones, plus what only a service has. Rules between fields live in
 * resolve-service.ts.
 */

const port = whole("a port", 1, 65535, "Use a port number from 1 to 65535.");
const cores = (what: string) =>
  z
    .number({ error: `${what} must be a number of cores, e.g. 0.5` })
    .min(0.01, { error: `${what} must be at least 0.01 cores; the default is 0.5` })
    .max(1024, { error: `${what} must be at most 1024` });

export const hardenedServicePropsSchema = hardenedContainerPropsSchema
  .pick({
    image: true,
    audit: true,
    name: true,
    command: true,
    entrypoint: true,
    env: true,
    workingDir: true,
    user: true,
    healthcheck: true,
    tmpSizeMiB: true,
    tmpfs: true,
    maxRestarts: true,
    logging: true,
    labels: true,
    relaxations: true,
    trustedRegistries: true,
    clock: true,
  })
  .extend({
    replicas: whole("replicas", 1, 1000, "The default is 1.").optional(),
    ports: z
      .array(
        z.strictObject({
          internal: port,
          external: port.optional(),
          protocol: z.enum(["tcp", "udp"], { error: 'protocol must be "tcp" or "udp"' }).optional(),
          publishMode: z
            .enum(["host", "ingress"], { error: 'publishMode must be "host" or "ingress"' })
            .optional(),
        }),
      )
      .optional(),
    networks: z
      .array(
        z.union(
          [
            z.string().min(1, { error: "a network name must not be empty" }),
            z.instanceof(HardenedNetwork),
          ],
          { error: "a network is a HardenedNetwork.overlay or a network name" },
        ),
        {
          error:
            "networks is required: give at least one HardenedNetwork.overlay (a task on no network lands on the node's default bridge, CIS 5.30)",
        },
      )
      .min(1, {
        error:
          "give at least one HardenedNetwork.overlay: a task on no network lands on the node's default bridge (CIS 5.30)",
      }),
    resources: z
      .strictObject({
        memoryMiB: whole(
          "resources.memoryMiB",
          6,
          1_048_576,
          "Docker needs at least 6 MiB; the default is 256.",
        ).optional(),
        cpus: cores("resources.cpus").optional(),
        memoryReservationMiB: whole(
          "resources.memoryReservationMiB",
          6,
          1_048_576,
          "The default is memoryMiB.",
        ).optional(),
        cpusReservation: cores("resources.cpusReservation").optional(),
      })
      .optional(),
    secrets: z
      .array(
        z.strictObject({
          secret: z.instanceof(Secret, {
            error: "secret must be a docker_secret (Secret from @cdktf/provider-docker/lib/secret)",
          }),
          fileName: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, {
            error:
              "fileName is a file name under /run/secrets/: letters, digits and _ . -, e.g. db-password",
          }),
        }),
      )
      .optional(),
    rollingUpdate: z
      .strictObject({
        parallelism: whole("rollingUpdate.parallelism", 1, 100, "The default is 1.").optional(),
        delaySeconds: whole("rollingUpdate.delaySeconds", 0, 3600, "The default is 10.").optional(),
        monitorSeconds: whole(
          "rollingUpdate.monitorSeconds",
          1,
          3600,
          "The default is 30.",
        ).optional(),
        order: z
          .enum(["stop-first", "start-first"], {
            error: 'rollingUpdate.order must be "stop-first" or "start-first"',
          })
          .optional(),
      })
      .optional(),
  })
  .strict();

export type ParsedHardenedServiceProps = z.infer<typeof hardenedServicePropsSchema>;

/** A prop added to HardenedServiceProps and not to the schema (or back) fails the build. */
const servicePropsMatchSchema: SameKeys<
  HardenedServiceProps,
  z.input<typeof hardenedServicePropsSchema>
> = true;
void servicePropsMatchSchema;
