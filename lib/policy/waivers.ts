import { Verdict } from "./rule";
import { describeSubjects, SubjectCover, uncoveredSubjects } from "./subjects";
import { describeWaiver } from "./findings";
import { Suppression } from "./suppressions";

/** What the active exceptions of one rule do to one verdict (see {@link waive}). */
export interface Waiver {
  /** The exception that suppresses the verdict, when one does. */
  readonly by?: Suppression;
  /** The verdict's message, extended with why the exceptions did not waive it when they did not. */
  readonly message: string;
}

function where(s: Suppression): string {
  return describeWaiver({ source: s.source, scope: s.scope }).replace(/ \(whole rule\)$/, "");
}

function named(cover: SubjectCover): string {
  return cover.values.length === 0
    ? `no ${cover.kind}`
    : describeSubjects(cover.values.map((value) => ({ kind: cover.kind, value })));
}

/**
 * Decides whether `active` (the unexpired exceptions for the verdict's rule) suppress a failing
 * verdict; an unknown verdict is never waived. An exception for the whole rule does. Exceptions that name values do only
 * when every subject of the verdict is named by one of them; otherwise the verdict stands and its
 * message says which values no exception names. Cheap when nothing names values.
 */
export function waive(verdict: Verdict, active: readonly Suppression[]): Waiver {
  if (active.length === 0) return { message: verdict.message };
  // No waiver vouches for a value the audit could not read: an unknown is let through only by
  // the gate's allowUnknown, which the team sets, never by a waiver written in the stack.
  if (verdict.status !== "fail") {
    return {
      message: `${verdict.message} (not waived: ${active.map(where).join("; ")} cannot vouch for a value the audit could not read; only allowUnknown lets it through)`,
    };
  }
  const whole = active.find((s) => s.covers === undefined);
  if (whole !== undefined) return { by: whole, message: verdict.message };
  const naming = active.filter((s) => s.covers !== undefined);
  if (naming.length === 0) {
    return {
      message: `${verdict.message} (not waived: ${active.map(where).join("; ")} cannot vouch for a value the audit could not read)`,
    };
  }
  const covers = naming.map((s) => s.covers as SubjectCover);
  const uncovered = uncoveredSubjects(verdict.subjects, covers);
  if (uncovered !== undefined && uncovered.length === 0) {
    const subjects = verdict.subjects ?? [];
    const by =
      naming.find((s) =>
        subjects.every((x) => s.covers?.kind === x.kind && s.covers.values.includes(x.value)),
      ) ?? naming[0];
    return { by, message: verdict.message };
  }
  const exceptions = naming.map((s) => `${where(s)} names ${named(s.covers as SubjectCover)}`);
  const why =
    uncovered === undefined
      ? "this finding is not about values an exception can name"
      : `not covered: ${describeSubjects(uncovered)}`;
  return {
    message: `${verdict.message} (not waived: ${exceptions.join("; ")}; ${why})`,
  };
}
