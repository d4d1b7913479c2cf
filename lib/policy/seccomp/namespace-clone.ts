import { CLONE_NAMESPACE_FLAGS } from "./hardened-default";
import {
  ALLOW_LIKE_ACTIONS,
  SeccompArg,
  SeccompProfileJson,
  SeccompSyscallRule,
} from "./profile-types";
import { SyscallAccessOptions, syscallAccess } from "./syscall-access";

/**
 * Whether a profile lets a process create namespaces through `clone` (with CLONE_NEW* flags) or
 * `clone3`: the namespace check of `HD-SECCOMP-DENYLIST`, which a name-only deny list cannot
 * express because `clone` itself must stay allowed (fork and threads use it).
 */

/** The CLONE_NEW* flags, one bit each. */
const NAMESPACE_FLAGS = [
  0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000,
];

function namesOf(rule: SeccompSyscallRule): readonly string[] {
  return rule.name === undefined ? (rule.names ?? []) : [...(rule.names ?? []), rule.name];
}

/** The clone flags are argument 0, except on s390, where they are argument 1. */
function flagsIndex(rule: SeccompSyscallRule): number {
  const arches = rule.includes?.arches ?? [];
  return arches.length > 0 && arches.every((a) => a === "s390" || a === "s390x") ? 1 : 0;
}

/** True when the condition holds only for flags without any CLONE_NEW* bit. */
function keepsFlagsClear(arg: SeccompArg, index: number): boolean {
  if (arg.index !== index) return false;
  if (arg.op === "SCMP_CMP_MASKED_EQ") {
    return (
      (arg.value & CLONE_NAMESPACE_FLAGS) === CLONE_NAMESPACE_FLAGS &&
      ((arg.valueTwo ?? 0) & CLONE_NAMESPACE_FLAGS) === 0
    );
  }
  return arg.op === "SCMP_CMP_EQ" && (arg.value & CLONE_NAMESPACE_FLAGS) === 0;
}

/** True when a denying condition list holds whenever the flag `flag` is set. */
function deniesFlag(list: readonly SeccompArg[], flag: number): boolean {
  if (list.length !== 1) return false;
  const [arg] = list;
  return (
    arg.index === 0 &&
    arg.op === "SCMP_CMP_MASKED_EQ" &&
    arg.value === flag &&
    arg.valueTwo === flag
  );
}

/**
 * The namespace-creating calls a profile lets run: `clone (with namespace flags)` unless every
 * rule that allows `clone` requires its flags to carry no CLONE_NEW* bit (or, in a default-allow
 * profile, a rule denies each flag), and `clone3` unless it is denied.
 */
export function namespaceCloneAllowed(
  profile: SeccompProfileJson,
  options: SyscallAccessOptions = {},
): string[] {
  const open: string[] = [];
  const clone = syscallAccess(profile, "clone", options);
  let cloneSafe: boolean;
  if (clone.kind === "denied") cloneSafe = true;
  else if (clone.kind === "allowed") cloneSafe = false;
  else if (clone.runsWhen === "matched") {
    cloneSafe = (profile.syscalls ?? [])
      .filter((r) => namesOf(r).includes("clone") && ALLOW_LIKE_ACTIONS.has(r.action))
      .every((r) => (r.args ?? []).some((a) => keepsFlagsClear(a, flagsIndex(r))));
  } else {
    cloneSafe = NAMESPACE_FLAGS.every((flag) =>
      clone.conditions.some((list) => deniesFlag(list, flag)),
    );
  }
  if (!cloneSafe) open.push("clone (with namespace flags)");
  if (syscallAccess(profile, "clone3", options).kind !== "denied") open.push("clone3");
  return open;
}
