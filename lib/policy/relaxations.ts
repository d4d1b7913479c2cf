import { z } from "zod";
import type { SubjectKind } from "./subjects";
import { Capability, LINUX_CAPABILITIES } from "./facts/capabilities";

/**
 * Relaxations: the only way to weaken a HardenedContainer default. Each one names exactly what
 * it relaxes and carries a written reason; each is recorded as a label on the container
 * (`io.hardened-docker.relaxation.<kind>` = reason) and suppresses, with that reason, the rules
 * that name its kind in their `waivedBy` (see `relaxation-rules.ts`), so the policy report shows the exception instead of hiding it.
 *
 * Not relaxable at all: privileged mode, host namespaces (network, PID, IPC, UTS, user),
 * devices, mounts of sensitive host directories or the Docker socket, shared mount propagation,
 * seccomp off, no-new-privileges off, an image not pinned by digest.
 */
export type Relaxation =
  | AddCapabilitiesRelaxation
  | RunAsRootRelaxation
  | PrivilegedPortsRelaxation
  | PublishOnAllInterfacesRelaxation
  | WritableRootFilesystemRelaxation
  | WritableBindMountRelaxation
  | ExecutableTmpfsRelaxation
  | AllowSyscallsRelaxation
  | NoHealthcheckRelaxation
  | UntrustedRegistryRelaxation;

interface Reasoned {
  /** Why this workload needs the weakening: at least 20 characters and three words. */
  readonly reason: string;
}

/** Add capabilities back after `drop: ["ALL"]`. Waives CIS-5.4. */
export interface AddCapabilitiesRelaxation extends Reasoned {
  readonly kind: "addCapabilities";
  readonly capabilities: readonly Capability[];
}
/** Run as a given user that may be root (`0`, `0:0`, or a name). Waives CIS-4.1. */
export interface RunAsRootRelaxation extends Reasoned {
  readonly kind: "runAsRoot";
  /** @default "0:0" */
  readonly user?: string;
}
/** Publish these host ports even though they are 1024 or below. Waives CIS-5.8. */
export interface PrivilegedPortsRelaxation extends Reasoned {
  readonly kind: "privilegedPorts";
  readonly hostPorts: readonly number[];
}
/** Allow `hostIp: "0.0.0.0"` (or `::`) on ports. Waives CIS-5.14. */
export interface PublishOnAllInterfacesRelaxation extends Reasoned {
  readonly kind: "publishOnAllInterfaces";
}
/** A writable root filesystem. Waives CIS-5.13. */
export interface WritableRootFilesystemRelaxation extends Reasoned {
  readonly kind: "writableRootFilesystem";
}
/** Mount these bind-mount targets read-write. Waives nothing in CIS; recorded as a label. */
export interface WritableBindMountRelaxation extends Reasoned {
  readonly kind: "writableBindMount";
  readonly targets: readonly string[];
}
/** Mount these tmpfs paths without `noexec`. Waives HD-TMPFS-OPTIONS. */
export interface ExecutableTmpfsRelaxation extends Reasoned {
  readonly kind: "executableTmpfs";
  readonly paths: readonly string[];
}
/** Allow these syscalls in the seccomp profile. Waives HD-SECCOMP-DENYLIST. */
export interface AllowSyscallsRelaxation extends Reasoned {
  readonly kind: "allowSyscalls";
  readonly syscalls: readonly string[];
}
/** Run without a health check. Waives CIS-5.27 and CIS-4.6. */
export interface NoHealthcheckRelaxation extends Reasoned {
  readonly kind: "noHealthcheck";
}
/** Use an image from outside the trusted registries allowlist. Waives CIS-4.2. */
export interface UntrustedRegistryRelaxation extends Reasoned {
  readonly kind: "untrustedRegistry";
}

export type RelaxationKind = Relaxation["kind"];

/**
 * What each relaxation names: the kind of value its failures are about and the values it lists.
 * A relaxation of a kind with a subject waives a failure only when the failure is about those
 * values alone (see `lib/policy/subjects.ts`); one without (`undefined`) waives its rules whole.
 */
export const RELAXATION_SUBJECT: Readonly<Record<RelaxationKind, SubjectKind | undefined>> = {
  addCapabilities: "capability",
  runAsRoot: "user",
  privilegedPorts: "hostPort",
  publishOnAllInterfaces: undefined,
  writableRootFilesystem: undefined,
  writableBindMount: "mountTarget",
  executableTmpfs: "tmpfsPath",
  allowSyscalls: "syscall",
  noHealthcheck: undefined,
  untrustedRegistry: undefined,
};

/** Every kind of relaxation. */
export const RELAXATION_KINDS = Object.keys(RELAXATION_SUBJECT) as readonly RelaxationKind[];

/**
 * The values a relaxation names (its subjects, see {@link RELAXATION_SUBJECT}), as written in
 * its `.detail` label; `undefined` for a kind that names none.
 */
export function relaxationNames(r: Relaxation): readonly string[] | undefined {
  switch (r.kind) {
    case "addCapabilities":
      return r.capabilities;
    case "runAsRoot":
      return [r.user ?? DEFAULT_ROOT_USER];
    case "privilegedPorts":
      return r.hostPorts.map(String);
    case "writableBindMount":
      return r.targets;
    case "executableTmpfs":
      return r.paths;
    case "allowSyscalls":
      return r.syscalls;
    default:
      return undefined;
  }
}

/** The user `Relax.runAsRoot` runs as when none is given. */
export const DEFAULT_ROOT_USER = "0:0";

/** Static factories for relaxations, so call sites read as what they do. */
export const Relax = {
  addCapabilities: (
    capabilities: readonly Capability[],
    reason: string,
  ): AddCapabilitiesRelaxation => ({
    kind: "addCapabilities",
    capabilities,
    reason,
  }),
  runAsRoot: (reason: string, user = DEFAULT_ROOT_USER): RunAsRootRelaxation => ({
    kind: "runAsRoot",
    user,
    reason,
  }),
  privilegedPorts: (hostPorts: readonly number[], reason: string): PrivilegedPortsRelaxation => ({
    kind: "privilegedPorts",
    hostPorts,
    reason,
  }),
  publishOnAllInterfaces: (reason: string): PublishOnAllInterfacesRelaxation => ({
    kind: "publishOnAllInterfaces",
    reason,
  }),
  writableRootFilesystem: (reason: string): WritableRootFilesystemRelaxation => ({
    kind: "writableRootFilesystem",
    reason,
  }),
  writableBindMount: (targets: readonly string[], reason: string): WritableBindMountRelaxation => ({
    kind: "writableBindMount",
    targets,
    reason,
  }),
  executableTmpfs: (paths: readonly string[], reason: string): ExecutableTmpfsRelaxation => ({
    kind: "executableTmpfs",
    paths,
    reason,
  }),
  allowSyscalls: (syscalls: readonly string[], reason: string): AllowSyscallsRelaxation => ({
    kind: "allowSyscalls",
    syscalls,
    reason,
  }),
  noHealthcheck: (reason: string): NoHealthcheckRelaxation => ({ kind: "noHealthcheck", reason }),
  untrustedRegistry: (reason: string): UntrustedRegistryRelaxation => ({
    kind: "untrustedRegistry",
    reason,
  }),
};

/** A reason of real length: not empty, not one word. Shared with policy suppressions. */
export const reasonSchema = z
  .string({ error: "a reason is required: say why this workload needs the exception" })
  .trim()
  .refine((r) => r.length >= 20 && r.split(/\s+/).filter((w) => w.length > 0).length >= 3, {
    error:
      'the reason must explain the need in a sentence (at least 20 characters and three words), e.g. "binds port 80 because the legacy load balancer cannot be reconfigured"',
  });

const capabilitySchema = z.enum(LINUX_CAPABILITIES, {
  error: `not a Linux capability; use one of ${LINUX_CAPABILITIES.join(", ")} (without the CAP_ prefix)`,
});
const absolutePathSchema = z
  .string()
  .regex(/^\/[^\0]*$/, {
    error: "must be an absolute path inside the container, e.g. /var/cache/app",
  })
  .refine((path) => !path.includes(","), {
    error:
      "a relaxed path cannot hold a comma: the relaxation's label lists its paths comma-separated",
  });
const syscallNameSchema = z
  .string()
  .regex(/^[a-z0-9_]+$/, { error: "a syscall name is lowercase letters, digits and underscores" });
const portSchema = z
  .number()
  .int({ error: "a port is a whole number" })
  .min(1, { error: "a port is 1 to 65535" })
  .max(65535, { error: "a port is 1 to 65535" });

export const relaxationSchema = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        kind: z.literal("addCapabilities"),
        capabilities: z.array(capabilitySchema).min(1, { error: "name at least one capability" }),
        reason: reasonSchema,
      })
      .strict(),
    z
      .object({
        kind: z.literal("runAsRoot"),
        user: z
          .string()
          .min(1)
          .refine((user) => user.trim() === user && !user.includes(","), {
            error: "a user is written without spaces or commas, e.g. 0:0",
          })
          .optional(),
        reason: reasonSchema,
      })
      .strict(),
    z
      .object({
        kind: z.literal("privilegedPorts"),
        hostPorts: z.array(portSchema).min(1, { error: "name at least one host port" }),
        reason: reasonSchema,
      })
      .strict(),
    z.object({ kind: z.literal("publishOnAllInterfaces"), reason: reasonSchema }).strict(),
    z.object({ kind: z.literal("writableRootFilesystem"), reason: reasonSchema }).strict(),
    z
      .object({
        kind: z.literal("writableBindMount"),
        targets: z.array(absolutePathSchema).min(1, { error: "name at least one mount target" }),
        reason: reasonSchema,
      })
      .strict(),
    z
      .object({
        kind: z.literal("executableTmpfs"),
        paths: z.array(absolutePathSchema).min(1, { error: "name at least one tmpfs path" }),
        reason: reasonSchema,
      })
      .strict(),
    z
      .object({
        kind: z.literal("allowSyscalls"),
        syscalls: z.array(syscallNameSchema).min(1, { error: "name at least one syscall" }),
        reason: reasonSchema,
      })
      .strict(),
    z.object({ kind: z.literal("noHealthcheck"), reason: reasonSchema }).strict(),
    z.object({ kind: z.literal("untrustedRegistry"), reason: reasonSchema }).strict(),
  ],
  {
    error: `unknown relaxation kind; use one of ${RELAXATION_KINDS.join(", ")} (or the Relax.* factories)`,
  },
);
