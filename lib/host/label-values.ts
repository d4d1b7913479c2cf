import { AuditLabel, LABEL_PREFIX } from "../policy/facts/labels";
import { decodeRelaxationLabels } from "../policy/waiver-codec";
import { daysBetween, parseIsoDate } from "../policy/facts/iso-date";

/**
 * Our audit labels read from a live container, where anyone may have written anything: dates
 * that are not dates, megabyte-long strings, terminal escape sequences. Values are cleaned for
 * display and every oddity becomes a one-line problem instead of a crash or a silent gap.
 */

/** When the container was deployed: `YYYY-MM-DD` or an ISO 8601 date-time (written by CI). */
export const DEPLOYED_AT_LABEL = `${LABEL_PREFIX}.deployed-at`;

/** Longer label values are cut for display and reported as a problem. */
export const MAX_LABEL_CHARS = 1024;

// C0/C1 controls (newlines, ESC of terminal escapes) and bidirectional overrides that could
// make a table lie about what it shows.
const UNSAFE_CHARS = "[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]";
const HAS_UNSAFE_RE = new RegExp(UNSAFE_CHARS);
const ALL_UNSAFE_RE = new RegExp(UNSAFE_CHARS, "g");

/** A label value made safe to print, and what was done to it. */
export interface CleanText {
  /** Control characters replaced by spaces, cut to `max` characters (with `…`). */
  readonly text: string;
  /** Characters in the raw value. */
  readonly length: number;
  readonly truncated: boolean;
  readonly hadControlCharacters: boolean;
}

/** Cleans `raw` for a terminal or a report: no control characters, at most `max` characters. */
export function cleanText(raw: string, max: number = MAX_LABEL_CHARS): CleanText {
  const hadControlCharacters = HAS_UNSAFE_RE.test(raw);
  const safe = raw.replace(ALL_UNSAFE_RE, " ");
  const chars = [...safe];
  const truncated = chars.length > max;
  return {
    text: truncated ? `${chars.slice(0, Math.max(0, max - 1)).join("")}…` : safe,
    length: chars.length,
    truncated,
    hadControlCharacters,
  };
}

/**
 * One relaxation recorded on the container: its kind, reason, the rules it waives and the values
 * it names (decoded by `lib/policy/relaxation-labels.ts`, cleaned for display).
 */
export interface RecordedRelaxation {
  readonly kind: string;
  readonly reason: string;
  readonly rules: readonly string[];
  /** The values it names (capabilities, ports, paths, syscalls, user), when it names any. */
  readonly names?: readonly string[];
  /** False when its labels do not spell a valid relaxation, which then waives nothing. */
  readonly valid: boolean;
}

/** The audit labels of one container, cleaned, with dates parsed. */
export interface AuditLabelValues {
  readonly owner?: string;
  readonly purpose?: string;
  readonly deployedBy?: string;
  /** The `deployed-at` label as written (cleaned). */
  readonly deployedAt?: string;
  /** The `expires` label as written (cleaned). */
  readonly expires?: string;
  /** The expiry day when `expires` is a real `YYYY-MM-DD` date. */
  readonly expiresOn?: Date;
  /** When `deployed-at` is a readable date or date-time. */
  readonly deployedOn?: Date;
  readonly relaxations: readonly RecordedRelaxation[];
  /** Which of owner, purpose, expires are missing or empty. */
  readonly missing: readonly string[];
  /** Garbage found in our labels, one line each. */
  readonly problems: readonly string[];
}

const ISO_DATE_TIME_RE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a `deployed-at` value: `YYYY-MM-DD` or an ISO 8601 date-time; undefined otherwise. */
export function parseDeployedAt(text: string): Date | undefined {
  if (!ISO_DATE_TIME_RE.test(text)) return undefined;
  if (text.length === 10) return parseIsoDate(text);
  if (parseIsoDate(text.slice(0, 10)) === undefined) return undefined;
  const date = new Date(text.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function readText(
  labels: Readonly<Record<string, string>>,
  key: string,
  problems: string[],
): string | undefined {
  const raw = labels[key];
  if (raw === undefined) return undefined;
  const clean = cleanText(raw.trim());
  if (clean.truncated) {
    problems.push(`${key} is ${clean.length} characters long (shown cut to ${MAX_LABEL_CHARS})`);
  }
  if (clean.hadControlCharacters) {
    problems.push(`${key} holds control characters (shown as spaces)`);
  }
  return clean.text === "" ? undefined : clean.text;
}

/** Reads our audit labels from a container's labels; never throws. */
export function readAuditLabels(labels: Readonly<Record<string, string>>): AuditLabelValues {
  const problems: string[] = [];
  const owner = readText(labels, AuditLabel.owner, problems);
  const purpose = readText(labels, AuditLabel.purpose, problems);
  const deployedBy = readText(labels, AuditLabel.deployedBy, problems);
  const deployedAt = readText(labels, DEPLOYED_AT_LABEL, problems);
  const expires = readText(labels, AuditLabel.expires, problems);
  let expiresOn: Date | undefined;
  if (expires !== undefined) {
    expiresOn = parseIsoDate(expires);
    if (expiresOn === undefined) {
      problems.push(
        `${AuditLabel.expires} is ${JSON.stringify(cleanText(expires, 40).text)}, not a date written YYYY-MM-DD`,
      );
    }
  }
  let deployedOn: Date | undefined;
  if (deployedAt !== undefined) {
    deployedOn = parseDeployedAt(deployedAt);
    if (deployedOn === undefined) {
      problems.push(
        `${DEPLOYED_AT_LABEL} is ${JSON.stringify(cleanText(deployedAt, 40).text)}, not an ISO 8601 date or date-time`,
      );
    }
  }
  const missing = [
    ["owner", owner],
    ["purpose", purpose],
    ["expires", expires],
  ]
    .filter(([, value]) => value === undefined)
    .map(([name]) => name as string);
  return {
    ...(owner !== undefined ? { owner } : {}),
    ...(purpose !== undefined ? { purpose } : {}),
    ...(deployedBy !== undefined ? { deployedBy } : {}),
    ...(deployedAt !== undefined ? { deployedAt } : {}),
    ...(expires !== undefined ? { expires } : {}),
    ...(expiresOn !== undefined ? { expiresOn } : {}),
    ...(deployedOn !== undefined ? { deployedOn } : {}),
    relaxations: readRelaxations(labels, problems),
    missing,
    problems,
  };
}

function readRelaxations(
  labels: Readonly<Record<string, string>>,
  problems: string[],
): RecordedRelaxation[] {
  const decoded = decodeRelaxationLabels(labels);
  for (const problem of decoded.problems) problems.push(cleanText(problem, 200).text);
  return decoded.relaxations.map((r) => {
    const reason = readText(labels, r.label, problems) ?? "";
    for (const problem of r.problems) problems.push(cleanText(problem, 200).text);
    const clean = (values: readonly string[]): string[] =>
      values.slice(0, 32).map((v) => cleanText(v, 64).text);
    return {
      kind: cleanText(r.kind, 64).text,
      reason,
      rules: clean(r.rules),
      ...(r.names !== undefined ? { names: clean(r.names) } : {}),
      valid: r.relaxation !== undefined,
    };
  });
}

/** Days from `now` to the expiry day (negative once it is over), when the day is known. */
export function daysLeft(values: AuditLabelValues, now: Date): number | undefined {
  return values.expiresOn === undefined ? undefined : daysBetween(now, values.expiresOn);
}
