import { Token } from "cdktf";
import { ContainerImage } from "../image/container-image";
import { SeccompProfile } from "../policy/seccomp";
import { HardenedDockerValidationError, ValidationProblem } from "../validation/validation-error";

/**
 * Terraform tokens (`${TfToken[...]}`, `Token.asNumber`, references to other resources) in the
 * props that decide a workload's security: their values are known only at plan or apply time,
 * so the construct cannot check them (an image's digest, a user's UID, a mount's host path, a
 * network's name, a seccomp profile's rules). They are refused, before any other check, with a
 * message that says so. Images resolved by the library itself (`ContainerImage.fromRegistryTag`,
 * whose rendered reference is a token) and `HardenedNetwork` objects are not tokens here: the
 * construct knows what they hold.
 */

/** Where tokens are refused, as `field` paths of the props (`[]` = every list entry). */
const GUARDED = [
  "image",
  "user",
  "mounts[].source",
  "mounts[].target",
  "mounts[].type",
  "networks[]",
  "ports[].hostIp",
  "ports[].external",
  "tmpfs[].path",
  "relaxations[].user",
  "seccomp",
] as const;

function isToken(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (value instanceof ContainerImage) return isToken(value.source);
  if (value instanceof SeccompProfile) return Token.isUnresolved(value.toJson());
  return false;
}

function visit(
  value: unknown,
  steps: readonly string[],
  field: string,
  found: (field: string, value: unknown) => void,
): void {
  if (steps.length === 0) {
    if (isToken(value)) found(field, value);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const [step, ...rest] = steps;
  const list = step.endsWith("[]");
  const key = list ? step.slice(0, -2) : step;
  const next = (value as Record<string, unknown>)[key];
  const at = field === "" ? key : `${field}.${key}`;
  if (!list) visit(next, rest, at, found);
  else if (Array.isArray(next)) next.forEach((item, i) => visit(item, rest, `${at}.${i}`, found));
}

/** One problem per token in a guarded field of `props`. */
export function tokenProblems(props: unknown, constructPath: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (props === null || typeof props !== "object") return problems;
  for (const path of GUARDED) {
    visit(props, path.split("."), "", (field, value) =>
      problems.push({
        constructPath,
        field,
        value: value instanceof SeccompProfile ? "(a SeccompProfile holding a token)" : value,
        message:
          "is a Terraform token, whose value is known only at plan or apply time, so the construct " +
          "cannot check it at synth (a token here could resolve to root, a host path, the host " +
          "network or an unpinned image): give a literal value",
      }),
    );
  }
  return problems;
}

/** Throws a `HardenedDockerValidationError` when a guarded field of `props` holds a token. */
export function refuseTokens(props: unknown, constructPath: string): void {
  const problems = tokenProblems(props, constructPath);
  if (problems.length > 0) throw new HardenedDockerValidationError(problems);
}
