import {
  ALLOW_LIKE_ACTIONS,
  SeccompAction,
  SeccompArg,
  SeccompFilter,
  SeccompProfileJson,
  SeccompSyscallRule,
} from "./profile-types";

/** Docker's errno for `SCMP_ACT_ERRNO` without an explicit `errnoRet`: EPERM. */
const DEFAULT_ERRNO = 1;

/**
 * What a profile does with one syscall.
 * - `allowed`: some rule allows it with no argument condition (or the default action allows it
 *   and no rule denies it).
 * - `conditional`: it runs for some arguments only. With `runsWhen: "matched"` it runs when one
 *   of the `conditions` lists holds (e.g. `clone` without namespace flags, under an allowlist);
 *   with `runsWhen: "unmatched"` it fails when one holds (a denial with arguments, under a
 *   default-allow profile).
 * - `denied`: no rule can let it run; `errno` is set for `SCMP_ACT_ERRNO`.
 */
export type SyscallAccess =
  | { readonly kind: "allowed"; readonly action: SeccompAction }
  | {
      readonly kind: "conditional";
      readonly runsWhen: "matched" | "unmatched";
      readonly conditions: readonly (readonly SeccompArg[])[];
    }
  | { readonly kind: "denied"; readonly action: SeccompAction; readonly errno?: number };

/** How to evaluate a profile. */
export interface SyscallAccessOptions {
  /**
   * The container's effective capabilities (`SYS_ADMIN` or `CAP_SYS_ADMIN`; `ALL` for all), to
   * evaluate rules gated with `includes.caps` / `excludes.caps` as Docker does.
   *
   * @default undefined: capabilities unknown. Then every capability-gated rule that could allow
   * a syscall is assumed to apply, and no capability-gated denial is relied on. This is the safe
   * reading for a policy check: a syscall is called denied only if it is denied whatever
   * capabilities the container holds.
   */
  readonly capabilities?: readonly string[];
}

function namesOf(rule: SeccompSyscallRule): readonly string[] {
  return rule.name === undefined ? (rule.names ?? []) : [...(rule.names ?? []), rule.name];
}

function hasArgs(rule: SeccompSyscallRule): boolean {
  return (rule.args?.length ?? 0) > 0;
}

function normalizeCap(cap: string): string {
  const upper = cap.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

class CapabilitySet {
  private readonly caps: ReadonlySet<string>;
  private readonly all: boolean;
  constructor(capabilities: readonly string[]) {
    this.caps = new Set(capabilities.map(normalizeCap));
    this.all = this.caps.has("CAP_ALL");
  }
  has(cap: string): boolean {
    return this.all || this.caps.has(normalizeCap(cap));
  }
}

/**
 * Whether a rule takes effect. Architecture and kernel-version gates are unknown here, so an
 * allowing rule is assumed to apply (it does on some host) and a gated denial is not relied on.
 */
function ruleApplies(
  rule: SeccompSyscallRule,
  allowing: boolean,
  caps: CapabilitySet | undefined,
): boolean {
  const inc: SeccompFilter = rule.includes ?? {};
  const exc: SeccompFilter = rule.excludes ?? {};
  const archOrKernelGated =
    (inc.arches?.length ?? 0) > 0 || (exc.arches?.length ?? 0) > 0 || (inc.minKernel ?? "") !== "";
  if (archOrKernelGated && !allowing) return false;
  const includeCaps = inc.caps ?? [];
  const excludeCaps = exc.caps ?? [];
  if (includeCaps.length === 0 && excludeCaps.length === 0) return true;
  if (caps === undefined) return allowing;
  return includeCaps.every((c) => caps.has(c)) && !excludeCaps.some((c) => caps.has(c));
}

function denial(action: SeccompAction, errnoRet: number | undefined): SyscallAccess {
  return action === "SCMP_ACT_ERRNO"
    ? { kind: "denied", action, errno: errnoRet ?? DEFAULT_ERRNO }
    : { kind: "denied", action };
}

/**
 * What `profile` does with the syscall `name` (see {@link SyscallAccess}). Pure; works on any
 * Docker seccomp profile object, e.g. one parsed from an inline `seccomp=<json>` security option
 * with `parseSeccompProfile`. When one rule allows a syscall unconditionally and another denies
 * it, it counts as allowed (the reading that never overstates a denial).
 */
export function syscallAccess(
  profile: SeccompProfileJson,
  name: string,
  options: SyscallAccessOptions = {},
): SyscallAccess {
  const caps = options.capabilities ? new CapabilitySet(options.capabilities) : undefined;
  const rules = (profile.syscalls ?? []).filter((r) => namesOf(r).includes(name));
  const allowing = rules.filter(
    (r) => ALLOW_LIKE_ACTIONS.has(r.action) && ruleApplies(r, true, caps),
  );
  const unconditional = allowing.find((r) => !hasArgs(r));
  if (unconditional) return { kind: "allowed", action: unconditional.action };
  const denying = rules.filter(
    (r) => !ALLOW_LIKE_ACTIONS.has(r.action) && ruleApplies(r, false, caps),
  );
  if (ALLOW_LIKE_ACTIONS.has(profile.defaultAction)) {
    const firm = denying.find((r) => !hasArgs(r));
    if (firm) return denial(firm.action, firm.errnoRet);
    if (denying.length > 0) {
      // Denied for some arguments only: it still runs for the others.
      return {
        kind: "conditional",
        runsWhen: "unmatched",
        conditions: denying.map((r) => r.args ?? []),
      };
    }
    return { kind: "allowed", action: profile.defaultAction };
  }
  if (allowing.length > 0) {
    return {
      kind: "conditional",
      runsWhen: "matched",
      conditions: allowing.map((r) => r.args ?? []),
    };
  }
  const firm = denying.find((r) => !hasArgs(r));
  if (firm) return denial(firm.action, firm.errnoRet);
  return denial(profile.defaultAction, profile.defaultErrnoRet);
}

/**
 * True when no rule of `profile` can let the syscall run: not allowed, not even for some
 * arguments or with some capability (unless `options.capabilities` says which ones the container
 * has). This is the check for a deny-list rule: a conditionally allowed `mount` is not denied.
 */
export function isSyscallDenied(
  profile: SeccompProfileJson,
  name: string,
  options: SyscallAccessOptions = {},
): boolean {
  return syscallAccess(profile, name, options).kind === "denied";
}

/** The subset of `names` that `profile` denies (see {@link isSyscallDenied}), in input order. */
export function deniedSyscalls(
  profile: SeccompProfileJson,
  names: readonly string[],
  options: SyscallAccessOptions = {},
): string[] {
  return names.filter((n) => isSyscallDenied(profile, n, options));
}

/** The subset of `names` that `profile` does not deny, in input order: what a policy reports. */
export function undeniedSyscalls(
  profile: SeccompProfileJson,
  names: readonly string[],
  options: SyscallAccessOptions = {},
): string[] {
  return names.filter((n) => !isSyscallDenied(profile, n, options));
}

/**
 * The syscall names listed in `profile`'s rules that it allows with no argument condition,
 * sorted. With an allowing `defaultAction`, unlisted syscalls are allowed too but not returned.
 */
export function unconditionallyAllowedSyscalls(
  profile: SeccompProfileJson,
  options: SyscallAccessOptions = {},
): string[] {
  const names = new Set<string>();
  for (const rule of profile.syscalls ?? []) {
    for (const n of namesOf(rule)) names.add(n);
  }
  return [...names].filter((n) => syscallAccess(profile, n, options).kind === "allowed").sort();
}
