import { z } from "zod";
import { ContainerImage } from "../image/container-image";
import { SeccompProfile } from "../policy/seccomp";
import { auditSchema } from "../audit/audit-schema";
import { HardenedNetwork } from "../network/hardened-network";
import {
  boundedTextList,
  boundedTextMap,
  clockSchema,
  dockerName,
  whole,
} from "../validation/schema-helpers";
import { relaxationSchema } from "../policy/relaxations";
import { DEFAULTS } from "../policy/facts/defaults";
import type { SameKeys } from "../validation/same-keys";
import type { HardenedContainerProps } from "./hardened-container-props";

/**
 * The structural schema of HardenedContainerProps: types, ranges and formats, one message per
 * problem with the fix. Rules that relate fields to each other (a root user needs a relaxation,
 * a privileged port needs one, ...) live in resolve-props.ts.
 */

const absolutePath = z.string({ error: "must be an absolute path string" }).regex(/^\/[^\0,:]*$/, {
  error: "must be an absolute path without commas or colons, e.g. /var/cache/app",
});

const port = whole("a port", 1, 65535, "Use a port number from 1 to 65535.");

export const portMappingSchema = z.strictObject({
  internal: port,
  external: port.optional(),
  hostIp: z
    .string()
    .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+)$/, {
      error: "hostIp must be an IPv4 or IPv6 address, e.g. 127.0.0.1",
    })
    .optional(),
  protocol: z.enum(["tcp", "udp"], { error: 'protocol must be "tcp" or "udp"' }).optional(),
});

export { auditSchema };

export const hardenedContainerPropsSchema = z.strictObject({
  image: z.union([z.string(), z.instanceof(ContainerImage)], {
    error: "image must be a name@sha256:<64 hex> string or a ContainerImage",
  }),
  audit: auditSchema,
  name: dockerName("name").optional(),
  command: boundedTextList(
    "command",
    z.string().min(1, { error: "an empty string in command is rejected by the provider" }),
  ).optional(),
  entrypoint: boundedTextList("entrypoint", z.string()).optional(),
  env: boundedTextMap(
    "env",
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      error: "environment variable names are letters, digits and _",
    }),
    z.string(),
  ).optional(),
  workingDir: absolutePath.optional(),
  user: z
    .string()
    .min(1, { error: 'user must not be empty; leave it out for the default "65534:65534"' })
    .optional(),
  ports: z.array(portMappingSchema).optional(),
  networks: z
    .array(
      z.union(
        [
          z.string().min(1, { error: "a network name must not be empty" }),
          z.instanceof(HardenedNetwork),
        ],
        { error: "a network is a HardenedNetwork or a network name" },
      ),
    )
    .optional(),
  resources: z
    .strictObject({
      memoryMiB: whole(
        "resources.memoryMiB",
        6,
        1_048_576,
        `Docker needs at least 6 MiB; the default is ${DEFAULTS.memoryMiB}.`,
      ).optional(),
      cpus: z
        .number({ error: "resources.cpus must be a number of cores, e.g. 0.5" })
        .min(0.01, {
          error: `resources.cpus must be at least 0.01 cores; the default is ${DEFAULTS.cpus}`,
        })
        .max(1024, { error: "resources.cpus must be at most 1024" })
        .optional(),
      cpuShares: whole(
        "resources.cpuShares",
        2,
        262_144,
        `The default is ${DEFAULTS.cpuShares}; Docker's is 1024.`,
      ).optional(),
      pids: whole(
        "resources.pids",
        8,
        4_194_304,
        `Give room for the service's processes and threads; the default is ${DEFAULTS.pids}.`,
      ).optional(),
      openFiles: whole(
        "resources.openFiles",
        64,
        1_048_576,
        `The default is ${DEFAULTS.openFiles}.`,
      ).optional(),
    })
    .optional(),
  healthcheck: z
    .strictObject({
      test: z
        .array(z.string())
        .min(1, { error: 'healthcheck.test needs a command, e.g. ["CMD", "/bin/healthcheck"]' })
        .refine((t) => ["CMD", "CMD-SHELL"].includes(t[0] ?? "") && t.length >= 2, {
          error:
            'healthcheck.test must start with "CMD" or "CMD-SHELL" followed by the command; to run without a health check use Relax.noHealthcheck(reason)',
        }),
      intervalSeconds: whole(
        "healthcheck.intervalSeconds",
        1,
        86_400,
        `The default is ${DEFAULTS.healthcheck.intervalSeconds}.`,
      ).optional(),
      timeoutSeconds: whole(
        "healthcheck.timeoutSeconds",
        1,
        3600,
        `The default is ${DEFAULTS.healthcheck.timeoutSeconds}.`,
      ).optional(),
      startPeriodSeconds: whole(
        "healthcheck.startPeriodSeconds",
        0,
        86_400,
        `The default is ${DEFAULTS.healthcheck.startPeriodSeconds}.`,
      ).optional(),
      retries: whole(
        "healthcheck.retries",
        1,
        100,
        `The default is ${DEFAULTS.healthcheck.retries}.`,
      ).optional(),
    })
    .optional(),
  tmpSizeMiB: whole("tmpSizeMiB", 1, 65_536, `The default is ${DEFAULTS.tmpSizeMiB}.`).optional(),
  tmpfs: z
    .array(
      z.strictObject({
        path: absolutePath,
        sizeMiB: whole("tmpfs sizeMiB", 1, 65_536, "The default is 64.").optional(),
      }),
    )
    .optional(),
  mounts: z
    .array(
      z.strictObject({
        source: z.string().min(1, { error: "a mount source must not be empty" }),
        target: absolutePath,
        type: z
          .enum(["bind", "volume"], { error: 'mount type must be "bind" or "volume"' })
          .optional(),
        readOnly: z.boolean().optional(),
      }),
    )
    .optional(),
  seccomp: z
    .instanceof(SeccompProfile, {
      error: "seccomp must be a SeccompProfile (SeccompProfile.hardenedDefault())",
    })
    .optional(),
  maxRestarts: whole("maxRestarts", 1, 5, "CIS 5.15 allows at most 5 restart attempts.").optional(),
  logging: z
    .strictObject({
      driver: z
        .enum(["json-file", "local"], {
          error: 'logging.driver must be "json-file" or "local" (both rotate locally)',
        })
        .optional(),
      maxSizeMiB: whole(
        "logging.maxSizeMiB",
        1,
        10_240,
        `The default is ${DEFAULTS.logMaxSizeMiB}.`,
      ).optional(),
      maxFiles: whole(
        "logging.maxFiles",
        1,
        100,
        `The default is ${DEFAULTS.logMaxFiles}.`,
      ).optional(),
    })
    .optional(),
  labels: boundedTextMap("labels", z.string().min(1), z.string()).optional(),
  relaxations: z.array(relaxationSchema).optional(),
  trustedRegistries: z.array(z.string().min(1)).optional(),
  clock: clockSchema.optional(),
});

export type ParsedHardenedContainerProps = z.infer<typeof hardenedContainerPropsSchema>;

/** A prop added to HardenedContainerProps and not to the schema (or back) fails the build. */
const containerPropsMatchSchema: SameKeys<
  HardenedContainerProps,
  z.input<typeof hardenedContainerPropsSchema>
> = true;
void containerPropsMatchSchema;
