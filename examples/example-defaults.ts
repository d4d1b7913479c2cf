import { Clock, systemClock } from "../lib/audit/clock";
import { formatIsoDate } from "../lib/audit/iso-date";

/** What every example stack takes besides its image. */
export interface ExampleStackProps {
  /** The image, pinned by digest (`name@sha256:<64 hex>`). */
  readonly image: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default the last day of the fifth month after "now" (see defaultExpiry) */
  readonly expires?: string;
  /** @default derived from the environment by the construct */
  readonly deployedBy?: string;
}

/**
 * An expiry date that is always in the future and within the 365-day maximum, and that stays
 * the same for a whole month (so re-synthesizing does not recreate containers every day):
 * the last day of the fifth month after `now`. Real services write a fixed date instead.
 */
export function defaultExpiry(clock: Clock = systemClock): string {
  const now = clock.now();
  return formatIsoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 6, 0)));
}
