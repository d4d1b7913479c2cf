/** Calendar dates as the audit labels write them: `YYYY-MM-DD`, in UTC. */

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into midnight UTC; undefined when malformed or not a real day. */
export function parseIsoDate(text: string): Date | undefined {
  const match = ISO_DATE_RE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return date;
}

export function formatIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of the day `date` falls on. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Whole days from `from` to `to` (both taken as UTC days). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfUtcDay(to).getTime() - startOfUtcDay(from).getTime()) / 86_400_000);
}

/** The ISO date `days` after the day of `from`. */
export function addDays(from: Date, days: number): string {
  return formatIsoDate(new Date(startOfUtcDay(from).getTime() + days * 86_400_000));
}
