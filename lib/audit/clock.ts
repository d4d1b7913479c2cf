/**
 * Where "now" comes from. Expiry checks read the clock instead of `new Date()`, so tests and
 * examples pin it and never break as the calendar moves on.
 */
export interface Clock {
  now(): Date;
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant, for tests and reproducible synths. */
export function fixedClock(at: Date | string): Clock {
  const instant = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) {
    throw new Error(
      `fixedClock: "${String(at)}" is not a valid date; give an ISO date such as 2026-01-31`,
    );
  }
  return { now: () => new Date(instant.getTime()) };
}
