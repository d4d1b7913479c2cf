import { Clock, systemClock } from "../lib/audit/clock";

/**
 * An expiry date for the repository's demo app and tests, always in the future and within the
 * 365-day maximum, the same for a whole month (so re-synthesizing replaces nothing): the last day
 * of the fifth month after `now`. Not part of the templates: a real service writes a fixed date.
 */
export function defaultExpiry(clock: Clock = systemClock): string {
  const now = clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 6, 0))
    .toISOString()
    .slice(0, 10);
}
