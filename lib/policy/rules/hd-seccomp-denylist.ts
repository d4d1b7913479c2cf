import { DOCKER_DEFAULT_CAPABILITIES } from "../facts/capabilities";
import {
  DANGEROUS_SYSCALLS,
  parseSeccompSecurityOpt,
  SeccompProfileJson,
  undeniedSyscalls,
} from "../seccomp";
import { namespaceCloneAllowed } from "../seccomp/namespace-clone";
import { ContainerModel } from "../model";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import {
  fail,
  failAbout,
  normalizeCapability,
  notApplicable,
  pass,
  quoted,
  unknown,
} from "./support";

/** The container's effective capabilities, when known (for capability-gated profile rules). */
function effectiveCapabilities(c: ContainerModel): string[] | undefined {
  if (isUnknown(c.capAdd) || isUnknown(c.capDrop)) return undefined;
  const add = c.capAdd.map(normalizeCapability);
  const drop = c.capDrop.map(normalizeCapability);
  if (add.includes("ALL")) return ["ALL"];
  const base = drop.includes("ALL")
    ? []
    : DOCKER_DEFAULT_CAPABILITIES.filter((cap) => !drop.includes(cap));
  return [...new Set([...base, ...add])];
}

/**
 * The dangerous syscalls a profile leaves open for a capability set, memoized per (frozen,
 * shared) parsed profile: the containers of a stack usually share one profile.
 */
const undeniedCache = new WeakMap<object, Map<string, readonly string[]>>();

function undeniedFor(
  profile: SeccompProfileJson,
  capabilities: string[] | undefined,
): readonly string[] {
  const key = capabilities === undefined ? "?" : [...capabilities].sort().join(",");
  let byCaps = undeniedCache.get(profile);
  if (byCaps === undefined) {
    byCaps = new Map();
    undeniedCache.set(profile, byCaps);
  }
  let result = byCaps.get(key);
  if (result === undefined) {
    result = [
      ...undeniedSyscalls(profile, DANGEROUS_SYSCALLS, { capabilities }),
      ...namespaceCloneAllowed(profile, { capabilities }),
    ];
    byCaps.set(key, result);
  }
  return result;
}

/** HD-SECCOMP-DENYLIST: an inline seccomp profile denies the container-escape syscalls. */
export const HD_SECCOMP_DENYLIST: Rule = {
  id: "HD-SECCOMP-DENYLIST",
  title: "Ensure that the seccomp profile denies the syscalls behind container escapes",
  level: "error",
  waivedBy: ["allowSyscalls"],
  rationale:
    `An inline profile (\`seccomp=<JSON>\`) must deny ${DANGEROUS_SYSCALLS.join(", ")} for every ` +
    "argument and capability the container holds, allow `clone` only without namespace flags " +
    "and deny `clone3` (whose flags seccomp cannot read), as the shipped profile does. Without a seccomp option Docker's default " +
    "profile applies and the rule passes (it denies most of these, though it allows ptrace on " +
    "kernels 4.8 and later). A `seccomp=<path>` cannot be read from configuration (and the " +
    "provider passes it verbatim, so the container fails to start); privileged mode disables " +
    "seccomp.",
  remediation:
    "Use HardenedContainer's profile (`seccomp`, built with `SeccompProfile`); allow a needed " +
    "syscall with `Relax.allowSyscalls([name], reason)`.",
  blindSpots:
    "Profiles given as file paths; architecture- and kernel-gated rules (an allowing one is assumed to apply, a gated denial is not relied on); Docker's default profile when no option is set (passes); syscalls outside the list.",
  check: (c) => {
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    if (c.privileged) return fail("privileged mode runs the container without seccomp");
    if (isUnknown(c.securityOpt)) return unknown(c.securityOpt);
    const seccomp = c.securityOpt
      .map((option) => ({ option, parsed: parseSeccompSecurityOpt(option) }))
      .filter((x) => x.parsed !== undefined);
    if (seccomp.length === 0) {
      if (c.kind === "service") {
        return notApplicable(
          `not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.seccompProfile}`,
        );
      }
      return pass("no seccomp option: Docker's default profile applies");
    }
    const capabilities = effectiveCapabilities(c);
    for (const { parsed } of seccomp) {
      if (parsed === undefined) continue;
      if (parsed.kind === "unconfined") {
        return fail(parsed.why ?? "seccomp=unconfined: no syscall is filtered");
      }
      if (parsed.kind === "invalid") {
        if (!parsed.value.trim().startsWith("{")) {
          return {
            status: "unknown",
            message:
              `seccomp=${parsed.value.slice(0, 80)} names a file, which cannot be read from configuration; ` +
              'the provider passes it verbatim and the container fails to start ("Decoding seccomp profile failed"): inline the profile JSON',
          };
        }
        return fail(`the inline seccomp profile is not valid: ${parsed.error.slice(0, 300)}`);
      }
      const allowed = undeniedFor(parsed.profile, capabilities);
      if (allowed.length > 0) {
        return failAbout(
          `the inline seccomp profile does not deny ${quoted(allowed)}`,
          "syscall",
          allowed,
        );
      }
    }
    return pass(
      `the inline seccomp profile denies all ${DANGEROUS_SYSCALLS.length} escape syscalls and namespace-creating clone calls`,
    );
  },
};
