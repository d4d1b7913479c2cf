import { z } from "zod";

/**
 * The JSON format of a Docker seccomp profile (`--security-opt seccomp=<json>`), as the Engine
 * reads it (moby `api/types` / `profiles/seccomp`). Only the fields Docker Engine 20.10 and later
 * understand are modelled; Docker ignores unknown fields, and so does {@link SECCOMP_PROFILE_SCHEMA}
 * (it drops them).
 */

/** What the kernel does when a rule (or the default) matches. */
export const SECCOMP_ACTIONS = [
  "SCMP_ACT_KILL",
  "SCMP_ACT_KILL_PROCESS",
  "SCMP_ACT_KILL_THREAD",
  "SCMP_ACT_TRAP",
  "SCMP_ACT_ERRNO",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_NOTIFY",
] as const;
export type SeccompAction = (typeof SECCOMP_ACTIONS)[number];

/**
 * Actions that let the syscall run (or hand it to something that may let it run): `ALLOW`, `LOG`
 * (allow and log), `TRACE` (a ptrace tracer decides) and `NOTIFY` (a user-space agent decides).
 * A checker treats all four as "allowed", since none of them is a denial the profile guarantees.
 */
export const ALLOW_LIKE_ACTIONS: ReadonlySet<SeccompAction> = new Set<SeccompAction>([
  "SCMP_ACT_ALLOW",
  "SCMP_ACT_LOG",
  "SCMP_ACT_TRACE",
  "SCMP_ACT_NOTIFY",
]);

/** Comparison operators for argument filters. */
export const SECCOMP_OPERATORS = [
  "SCMP_CMP_NE",
  "SCMP_CMP_LT",
  "SCMP_CMP_LE",
  "SCMP_CMP_EQ",
  "SCMP_CMP_GE",
  "SCMP_CMP_GT",
  "SCMP_CMP_MASKED_EQ",
] as const;
export type SeccompOperator = (typeof SECCOMP_OPERATORS)[number];

/** libseccomp architecture names, e.g. `SCMP_ARCH_X86_64`. */
export type SeccompArch = string;

/** One argument condition: `arg[index] <op> value` (`(arg & value) == valueTwo` for MASKED_EQ). */
export interface SeccompArg {
  readonly index: number;
  readonly value: number;
  readonly valueTwo?: number;
  readonly op: SeccompOperator;
}

/**
 * When a rule applies (`includes`) or does not (`excludes`). `arches` are Go architecture names
 * (`amd64`, `arm64`, `s390x`, ...), `caps` capability names with the `CAP_` prefix, `minKernel`
 * a kernel version such as `4.8`.
 */
export interface SeccompFilter {
  readonly arches?: readonly string[];
  readonly caps?: readonly string[];
  readonly minKernel?: string;
}

/** A native architecture and the compatible ones whose syscalls the filter also covers. */
export interface SeccompArchMapEntry {
  readonly architecture: SeccompArch;
  readonly subArchitectures: readonly SeccompArch[] | null;
}

/** One rule of the profile. */
export interface SeccompSyscallRule {
  /** The syscall names the rule covers. */
  readonly names?: readonly string[];
  /** Deprecated single-name form, still read by Docker. */
  readonly name?: string;
  readonly action: SeccompAction;
  /** The errno returned when `action` is `SCMP_ACT_ERRNO` (e.g. 1 = EPERM, 38 = ENOSYS). */
  readonly errnoRet?: number;
  /** All conditions must hold for the rule to match. */
  readonly args?: readonly SeccompArg[] | null;
  readonly comment?: string;
  readonly includes?: SeccompFilter;
  readonly excludes?: SeccompFilter;
}

/** A whole Docker seccomp profile. */
export interface SeccompProfileJson {
  readonly defaultAction: SeccompAction;
  /** The errno for `defaultAction: SCMP_ACT_ERRNO`; Docker's default is 1 (EPERM). */
  readonly defaultErrnoRet?: number;
  /** Older flat form of the architectures; `archMap` is preferred. */
  readonly architectures?: readonly SeccompArch[];
  readonly archMap?: readonly SeccompArchMapEntry[] | null;
  /** Only for `SCMP_ACT_NOTIFY`: the agent's socket. */
  readonly listenerPath?: string;
  readonly listenerMetadata?: string;
  readonly flags?: readonly string[];
  readonly syscalls?: readonly SeccompSyscallRule[] | null;
}

const archName = z.string().regex(/^SCMP_ARCH_[A-Z0-9_]+$/, {
  error: "must be a libseccomp architecture such as SCMP_ARCH_X86_64",
});

const filterSchema = z.object({
  arches: z.array(z.string()).optional(),
  caps: z.array(z.string()).optional(),
  minKernel: z.string().optional(),
});

const argSchema = z.object({
  index: z.number().int().min(0).max(5),
  value: z.number().int().min(0),
  valueTwo: z.number().int().min(0).optional(),
  op: z.enum(SECCOMP_OPERATORS),
});

const ruleSchema = z
  .object({
    names: z.array(z.string().min(1)).optional(),
    name: z.string().min(1).optional(),
    action: z.enum(SECCOMP_ACTIONS),
    errnoRet: z.number().int().min(0).max(4095).optional(),
    args: z.array(argSchema).nullable().optional(),
    comment: z.string().optional(),
    includes: filterSchema.optional(),
    excludes: filterSchema.optional(),
  })
  .refine((rule) => (rule.names?.length ?? 0) > 0 || rule.name !== undefined, {
    error: "a syscall rule needs `names` (a non-empty list of syscall names)",
  })
  .refine((rule) => rule.name === undefined || (rule.names?.length ?? 0) === 0, {
    error: "a syscall rule has both `name` and `names`, which Docker rejects: keep only `names`",
  });

/**
 * The zod schema of {@link SeccompProfileJson}. Unknown fields are dropped, as Docker ignores
 * them; everything it models is checked (actions, operators, errno range, argument indexes).
 */
export const SECCOMP_PROFILE_SCHEMA = z.object({
  defaultAction: z.enum(SECCOMP_ACTIONS),
  defaultErrnoRet: z.number().int().min(0).max(4095).optional(),
  architectures: z.array(archName).optional(),
  archMap: z
    .array(
      z.object({
        architecture: archName,
        subArchitectures: z.array(archName).nullable(),
      }),
    )
    .nullable()
    .optional(),
  listenerPath: z.string().optional(),
  listenerMetadata: z.string().optional(),
  flags: z.array(z.string()).optional(),
  syscalls: z.array(ruleSchema).nullable().optional(),
});
