import { canonicalProfile, deepFreeze, ruleNames } from "./canonical-profile";
import { EPERM, hardenedDefaultProfile } from "./hardened-default";
import { parseSeccompProfile, parseSeccompProfileObject } from "./parse-profile";
import { ALLOW_LIKE_ACTIONS, SeccompProfileJson, SeccompSyscallRule } from "./profile-types";
import { SeccompProfileError } from "./seccomp-profile-error";
import { syscallAccess, SyscallAccess, unconditionallyAllowedSyscalls } from "./syscall-access";
import { SYSCALL_NAME_SCHEMA, validateSyscallNames } from "./syscall-name";

/** The `comment` of the rule that holds syscalls added by {@link SeccompProfile.allow}. */
export const ALLOWED_BY_RELAXATION_COMMENT = "hardened-docker: allowed by a relaxation";
/** The `comment` of the rule that holds syscalls removed by {@link SeccompProfile.deny}. */
export const DENIED_EXPLICITLY_COMMENT = "hardened-docker: denied explicitly";

/** `rules` with `names` taken out of the rules `touch` selects; rules left empty are dropped. */
function withoutNames(
  rules: readonly SeccompSyscallRule[],
  names: ReadonlySet<string>,
  touch: (rule: SeccompSyscallRule) => boolean,
): SeccompSyscallRule[] {
  return rules
    .map((rule) =>
      touch(rule)
        ? { ...rule, name: undefined, names: ruleNames(rule).filter((n) => !names.has(n)) }
        : rule,
    )
    .filter((rule) => ruleNames(rule).length > 0);
}

function mergeInto(
  rules: SeccompSyscallRule[],
  comment: string,
  names: readonly string[],
  make: (names: string[]) => SeccompSyscallRule,
): SeccompSyscallRule[] {
  if (names.length === 0) return rules;
  const index = rules.findIndex((r) => r.comment === comment);
  if (index < 0) return [...rules, make([...names])];
  const merged = { ...rules[index], names: [...ruleNames(rules[index]), ...names] };
  return rules.map((r, i) => (i === index ? merged : r));
}

/**
 * A Docker seccomp profile, immutable. Start from {@link SeccompProfile.hardenedDefault} (the
 * profile every `HardenedContainer` gets), narrow it with {@link deny}, and render it with
 * {@link toJson} for `security_opts: ["seccomp=" + json]`.
 *
 * ```ts
 * const profile = SeccompProfile.hardenedDefault().deny(["chroot", "mknod", "mknodat"]);
 * ```
 */
export class SeccompProfile {
  /**
   * The profile the library ships: an allowlist close to Docker's default profile, every other
   * syscall failing with EPERM. It denies every name in `DANGEROUS_SYSCALLS` and
   * `CAPABILITY_GATED_SYSCALLS`, allows `clone` only without namespace flags, and makes `clone3`
   * fail with ENOSYS so that libc falls back to `clone`.
   */
  public static hardenedDefault(): SeccompProfile {
    // Profiles are immutable (deep-frozen), so one instance serves every container: building
    // and canonicalizing the profile per container was a measurable share of synth time.
    SeccompProfile.shippedDefault ??= new SeccompProfile(hardenedDefaultProfile());
    return SeccompProfile.shippedDefault;
  }

  private static shippedDefault: SeccompProfile | undefined;

  /**
   * A profile from its JSON text (e.g. a copy of Docker's default profile). Throws a
   * `SeccompProfileError` naming each bad field; unknown fields are dropped, as Docker ignores them.
   */
  public static fromJson(json: string): SeccompProfile {
    const parsed = parseSeccompProfile(json);
    if (!parsed.ok) throw new SeccompProfileError("seccomp profile JSON", parsed.problems);
    return new SeccompProfile(parsed.profile);
  }

  /** A profile from a decoded JSON object; see {@link fromJson}. */
  public static fromObject(profile: SeccompProfileJson): SeccompProfile {
    return new SeccompProfile(profile);
  }

  private readonly profile: SeccompProfileJson;
  private readonly json: string;

  /**
   * Prefer the static factories ({@link hardenedDefault}, {@link fromJson}, {@link fromObject}).
   * The constructor is public only so that `instanceof` checks (zod's `z.instanceof`) accept the
   * class; it validates `profile` like {@link fromObject} and throws a `SeccompProfileError` on
   * bad input.
   */
  public constructor(profile: SeccompProfileJson) {
    const parsed = parseSeccompProfileObject(profile);
    if (!parsed.ok) throw new SeccompProfileError("seccomp profile object", parsed.problems);
    this.profile = deepFreeze(canonicalProfile(parsed.profile));
    this.json = JSON.stringify(this.profile);
  }

  /**
   * A new profile that also denies `syscalls`: they are taken out of every allowing rule
   * (conditional ones included), and, when the default action allows, listed in an explicit
   * EPERM rule. Under an allowlist no explicit rule is added, because the default action already
   * denies them. This profile is left unchanged.
   *
   * @throws SeccompProfileError when a name is not a syscall identifier (`^[a-z0-9_]+$`).
   */
  public deny(syscalls: readonly string[]): SeccompProfile {
    const names = validateSyscallNames("deny", syscalls);
    const remove = new Set(names);
    let rules = withoutNames(this.rules(), remove, (r) => ALLOW_LIKE_ACTIONS.has(r.action));
    if (ALLOW_LIKE_ACTIONS.has(this.profile.defaultAction)) {
      const missing = names.filter(
        (n) => syscallAccess({ ...this.profile, syscalls: rules }, n).kind !== "denied",
      );
      rules = mergeInto(rules, DENIED_EXPLICITLY_COMMENT, missing, (n) => ({
        names: n,
        action: "SCMP_ACT_ERRNO",
        errnoRet: EPERM,
        comment: DENIED_EXPLICITLY_COMMENT,
      }));
    }
    return new SeccompProfile({ ...this.profile, syscalls: rules });
  }

  /**
   * A new profile that allows `syscalls` unconditionally: they are taken out of every denying
   * rule and every argument-conditional rule, and listed in one allow rule marked with
   * {@link ALLOWED_BY_RELAXATION_COMMENT}, so the widening stays visible in the rendered JSON.
   * This profile is left unchanged.
   *
   * `HardenedContainer` calls this only for an `allowSyscalls` relaxation, which must carry a
   * reason (recorded in the container's labels and waiving the `HD-SECCOMP-DENYLIST` check);
   * call it yourself only with an equally good reason. Any well-formed name is accepted, also
   * names this library does not know (new syscalls appear with every kernel).
   *
   * @throws SeccompProfileError when a name is not a syscall identifier (`^[a-z0-9_]+$`).
   */
  public allow(syscalls: readonly string[]): SeccompProfile {
    const names = validateSyscallNames("allow", syscalls);
    const needed = names.filter((n) => this.access(n).kind !== "allowed");
    let rules = withoutNames(
      this.rules(),
      new Set(needed),
      (r) => !ALLOW_LIKE_ACTIONS.has(r.action) || (r.args?.length ?? 0) > 0,
    );
    if (!ALLOW_LIKE_ACTIONS.has(this.profile.defaultAction)) {
      rules = mergeInto(rules, ALLOWED_BY_RELAXATION_COMMENT, needed, (n) => ({
        names: n,
        action: "SCMP_ACT_ALLOW",
        comment: ALLOWED_BY_RELAXATION_COMMENT,
      }));
    }
    return new SeccompProfile({ ...this.profile, syscalls: rules });
  }

  /** The profile as a plain object (a fresh, mutable copy). */
  public toObject(): SeccompProfileJson {
    return JSON.parse(this.json) as SeccompProfileJson;
  }

  /**
   * Compact JSON with a fixed key order: equal profiles give identical text. Pass it as
   * `seccomp=<json>` in `security_opts`; the Docker provider hands it to the Engine unchanged.
   */
  public toJson(): string {
    return this.json;
  }

  /** The syscalls allowed with no argument condition, sorted. */
  public allowedSyscalls(): string[] {
    return unconditionallyAllowedSyscalls(this.profile);
  }

  /** The syscalls added by {@link allow}, sorted. */
  public relaxedSyscalls(): string[] {
    const rule = this.rules().find((r) => r.comment === ALLOWED_BY_RELAXATION_COMMENT);
    return rule ? ruleNames(rule) : [];
  }

  /** What the profile does with `syscall` (allowed, allowed for some arguments, or denied). */
  public access(syscall: string): SyscallAccess {
    return syscallAccess(this.profile, this.checkedName(syscall));
  }

  /**
   * True when the profile does not allow `syscall` unconditionally: it is denied, or allowed
   * only for some arguments (`clone`, `socket`, `personality` in the shipped profile). For
   * "can this syscall run at all", use `isSyscallDenied` or {@link access}.
   */
  public denies(syscall: string): boolean {
    return this.access(syscall).kind !== "allowed";
  }

  private rules(): SeccompSyscallRule[] {
    return [...(this.profile.syscalls ?? [])];
  }

  private checkedName(syscall: string): string {
    const result = SYSCALL_NAME_SCHEMA.safeParse(syscall);
    if (!result.success) {
      throw new SeccompProfileError("syscall name", [
        `${JSON.stringify(syscall) ?? String(syscall)}: ${result.error.issues[0]?.message ?? "invalid"}`,
      ]);
    }
    return result.data;
  }
}
