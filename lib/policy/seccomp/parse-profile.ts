import { deepFreeze } from "./canonical-profile";
import { z } from "zod";
import { SECCOMP_PROFILE_SCHEMA, SeccompProfileJson } from "./profile-types";

/** The result of {@link parseSeccompProfile}: the typed profile, or what is wrong with it. */
export type ParsedSeccompProfile =
  | { readonly ok: true; readonly profile: SeccompProfileJson }
  | {
      readonly ok: false;
      /** One line per problem, each naming the field path and what to do. */
      readonly problems: readonly string[];
      /** The problems joined into one message. */
      readonly error: string;
    };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
    "",
  );
}

function failure(problems: string[]): ParsedSeccompProfile {
  return {
    ok: false,
    problems,
    error: `Invalid seccomp profile JSON: ${problems.join("; ")}`,
  };
}

/** Checks an already-decoded JSON value against the Docker seccomp profile format. */
export function parseSeccompProfileObject(value: unknown): ParsedSeccompProfile {
  const result = SECCOMP_PROFILE_SCHEMA.safeParse(value);
  if (result.success) return { ok: true, profile: result.data };
  return failure(
    result.error.issues.map((issue: z.core.$ZodIssue) => {
      const where = fieldPath(issue.path) || "(profile)";
      return `${where}: ${issue.message}`;
    }),
  );
}

/**
 * Parses a Docker seccomp profile from JSON text (the part after `seccomp=` in a security
 * option, or a profile file's content). Never throws: bad JSON or a bad field gives
 * `{ ok: false, problems }`, each problem naming the field path. Unknown fields are dropped, as
 * Docker ignores them.
 */
export function parseSeccompProfile(json: string): ParsedSeccompProfile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const start = json.trim().slice(0, 40);
    return failure([
      `not JSON (${reason}); text starts with ${JSON.stringify(start)}. ` +
        "Pass the profile's JSON content, not a file path",
    ]);
  }
  return parseSeccompProfileObject(value);
}

/** What one `HostConfig.SecurityOpt` entry says about seccomp. */
export type SeccompSecurityOpt =
  | { readonly kind: "unconfined" }
  | { readonly kind: "inline"; readonly profile: SeccompProfileJson }
  | { readonly kind: "invalid"; readonly value: string; readonly error: string };

/**
 * Reads one security option as the Docker daemon does (`seccomp=<value>`, or the deprecated
 * `seccomp:<value>` when the option has no `=`). Returns undefined for options that are not
 * about seccomp (`no-new-privileges:true`, `apparmor=...`, `label=...`).
 */
export function parseSeccompSecurityOpt(option: string): SeccompSecurityOpt | undefined {
  let key: string;
  let value: string;
  const eq = option.indexOf("=");
  if (eq >= 0) {
    key = option.slice(0, eq);
    value = option.slice(eq + 1);
  } else {
    const colon = option.indexOf(":");
    if (colon < 0) return undefined;
    key = option.slice(0, colon);
    value = option.slice(colon + 1);
  }
  if (key !== "seccomp") return undefined;
  if (value === "unconfined") return { kind: "unconfined" };
  // Keyed by the whole option: the caller's string keeps its hash between calls, while the
  // value sliced out of it is a new string (hashed again, 20 KB for the shipped profile) each time.
  const cached = inlineCache.get(option);
  if (cached !== undefined) return cached;
  const parsed = parseSeccompProfile(value);
  const result: SeccompSecurityOpt = deepFreeze(
    parsed.ok
      ? { kind: "inline", profile: parsed.profile }
      : { kind: "invalid", value, error: parsed.error },
  );
  // Every container of a stack usually carries the same inline profile: parse each text once.
  if (inlineCache.size >= INLINE_CACHE_SIZE) inlineCache.clear();
  inlineCache.set(option, result);
  return result;
}

/** Parsed inline profiles by their option text (results are deep-frozen, so sharing them is safe). */
const inlineCache = new Map<string, SeccompSecurityOpt>();
const INLINE_CACHE_SIZE = 64;
