import Docker from "dockerode";
import { z } from "zod";
import { StackInputError, describeValue } from "./errors";
import { UpLabel } from "./up-labels";

/** Options of `upStack` and `downStack`. */
export interface UpOptions {
  /**
   * The Engine to deploy to.
   * @default `new Docker()`: DOCKER_HOST, else /var/run/docker.sock
   */
  readonly docker?: Docker;
  /**
   * Stack name, written to the `io.hardened-docker.up.stack` label of everything created.
   * @default the stack's `//.metadata.stackName`
   */
  readonly stackName?: string;
  /**
   * Extra labels put on every container, network and volume created (e.g.
   * `io.hardened-docker.test=1`); `down` with the same labels removes only what carries them.
   * @default {}
   */
  readonly labels?: Record<string, string>;
  /** Receives one line per step (created, reused, removed, ...). @default no output */
  readonly log?: (line: string) => void;
  /**
   * Scheme for registry API calls of `data.docker_registry_image`.
   * @default "http" for 127.0.0.1 / localhost registries, "https" otherwise
   */
  readonly registryScheme?: "http" | "https";
}

const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

const optionsSchema = z.object({
  stackName: z.string().optional(),
  labels: z
    .record(
      z.string().regex(LABEL_KEY_RE, "a label key of letters, digits and . _ / -"),
      z
        .string()
        .refine((v) => !v.includes(","), "label values used as filters may not contain commas"),
    )
    .optional(),
  registryScheme: z.enum(["http", "https"]).optional(),
});

/** Options with defaults applied. */
export interface ResolvedUpOptions {
  readonly docker: Docker;
  readonly stackName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
  readonly registryScheme?: "http" | "https";
}

export function resolveUpOptions(options: UpOptions = {}): ResolvedUpOptions {
  const parsed = optionsSchema.safeParse({
    stackName: options.stackName,
    labels: options.labels,
    registryScheme: options.registryScheme,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StackInputError(
      `option ${issue.path.map(String).join(".")}: ${issue.message} (got ${describeValue(
        issue.path.reduce<unknown>(
          (v, k) =>
            typeof v === "object" && v !== null
              ? (v as Record<PropertyKey, unknown>)[k as PropertyKey]
              : undefined,
          options,
        ),
      )})`,
    );
  }
  const labels = { ...(options.labels ?? {}) };
  for (const reserved of Object.values(UpLabel)) {
    if (reserved in labels) {
      throw new StackInputError(`option labels: ${reserved} is set by up itself; remove it`);
    }
  }
  return {
    docker: options.docker ?? new Docker(),
    stackName: options.stackName,
    labels,
    log: options.log ?? (() => undefined),
    registryScheme: options.registryScheme,
  };
}
