import { deepFreeze } from "./canonical-profile";
import { readDaemonProfile } from "./daemon-profile";
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
      /** The text is a profile the daemon loads as "no seccomp at all" (no action, no rules). */
      readonly disablesSeccomp?: boolean;
    };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
    "",
  );
}

function failure(problems: string[]): ParsedSeccompProfile & { ok: false } {
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
 * option, or a profile file's content) the way the Docker daemon reads it: Go's `encoding/json`
 * into the daemon's struct (`daemon-profile.ts`: keys matched case-insensitively with Unicode
 * folding, the later of two equal keys winning, unknown keys dropped), then checked. Never throws:
 * bad JSON, a field the daemon refuses, a spelling whose reading this library cannot be sure of,
 * or a profile that turns seccomp off give `{ ok: false, problems }`, each problem naming the
 * field path (`disablesSeccomp` marks the last).
 */
export function parseSeccompProfile(json: string): ParsedSeccompProfile {
  const reading = readDaemonProfile(json);
  switch (reading.kind) {
    case "profile":
      return parseSeccompProfileObject(reading.profile);
    case "disabled":
      return {
        ...failure([
          "(profile): no defaultAction and no syscall rules: the Docker daemon runs the container without seccomp. " +
            'Give "defaultAction" (e.g. "SCMP_ACT_ERRNO") and the rules',
        ]),
        disablesSeccomp: true,
      };
    default: {
      const start = json.trim().slice(0, 40);
      const hint = start.startsWith("{")
        ? ""
        : "; pass the profile's JSON content, not a file path";
      return failure(reading.problems.map((p) => `${p}${hint}`));
    }
  }
}

/** What one `HostConfig.SecurityOpt` entry says about seccomp. */
export type SeccompSecurityOpt =
  /** `seccomp=unconfined`, or a profile the daemon reads as none (`why` says which). */
  | { readonly kind: "unconfined"; readonly why?: string }
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
      : parsed.disablesSeccomp === true
        ? { kind: "unconfined", why: parsed.error }
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
