/**
 * The Docker Engine releases the tool knows, with the end of upstream maintenance of each
 * release branch (moby's `docker-X.x` branches). Shipped with the tool and dated: an audit shows
 * the table's date, and a table older than {@link RELEASE_TABLE_MAX_AGE_DAYS} makes the version
 * rule `unknown` rather than trusting stale support dates.
 *
 * Upstream keeps only the newest major release branch maintained, plus the previous one for
 * about a month after a new major; the end dates below are the month that happened, rounded to
 * its first day where the exact day was not announced.
 */
export const RELEASE_TABLE_DATE = "2026-12-01";

/** After this many days the table is too old to judge by. */
export const RELEASE_TABLE_MAX_AGE_DAYS = 365;

/** One release branch: `major.minor` and when upstream stopped maintaining it (none: still maintained). */
export interface EngineRelease {
  readonly branch: string;
  readonly released: string;
  readonly endOfLife?: string;
}

export const ENGINE_RELEASES: readonly EngineRelease[] = [
  { branch: "19.03", released: "2019-07-22", endOfLife: "2021-06-01" },
  { branch: "20.10", released: "2020-12-08", endOfLife: "2023-12-10" },
  { branch: "23.0", released: "2023-02-01", endOfLife: "2023-06-01" },
  { branch: "24.0", released: "2023-05-16", endOfLife: "2024-06-01" },
  { branch: "25.0", released: "2024-01-19", endOfLife: "2024-06-01" },
  { branch: "26.0", released: "2024-03-20", endOfLife: "2024-04-22" },
  { branch: "26.1", released: "2024-04-22", endOfLife: "2024-08-01" },
  { branch: "27.0", released: "2024-06-24", endOfLife: "2025-03-01" },
  { branch: "28.0", released: "2025-02-19", endOfLife: "2025-12-10" },
  { branch: "29.0", released: "2025-11-10" },
];

/** The oldest branch the table lists; anything older is out of support too. */
const OLDEST = ENGINE_RELEASES[0] as EngineRelease;

/** What the table says of one engine version, at `now`. */
export type ReleaseSupport =
  | { readonly kind: "supported"; readonly branch: string }
  | { readonly kind: "end-of-life"; readonly branch: string; readonly endOfLife: string }
  | { readonly kind: "unlisted"; readonly reason: string };

function numbers(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

/**
 * The branch a version belongs to: the listed branch with the highest `major.minor` not above
 * the version's (`29.1.3` belongs to `29.0`, `26.1.4` to `26.1`, `20.10.24+dfsg1` to `20.10`).
 */
export function releaseSupport(version: string, now: Date): ReleaseSupport {
  const v = numbers(version);
  if (v === undefined) {
    return { kind: "unlisted", reason: `${JSON.stringify(version)} is not a version number` };
  }
  if (compare(v, numbers(OLDEST.branch) as [number, number]) < 0) {
    return {
      kind: "end-of-life",
      branch: `${v[0]}.${v[1]}`,
      endOfLife: `before ${OLDEST.endOfLife ?? OLDEST.released}`,
    };
  }
  let match: EngineRelease | undefined;
  for (const release of ENGINE_RELEASES) {
    if (compare(numbers(release.branch) as [number, number], v) <= 0) match = release;
  }
  const release = match as EngineRelease;
  const newest = ENGINE_RELEASES[ENGINE_RELEASES.length - 1] as EngineRelease;
  if (release === newest && v[0] > (numbers(newest.branch) as [number, number])[0]) {
    return {
      kind: "unlisted",
      reason: `${version} is newer than every release the table (dated ${RELEASE_TABLE_DATE}) lists`,
    };
  }
  if (
    release.endOfLife !== undefined &&
    Date.parse(`${release.endOfLife}T00:00:00Z`) <= now.getTime()
  ) {
    return { kind: "end-of-life", branch: release.branch, endOfLife: release.endOfLife };
  }
  return { kind: "supported", branch: release.branch };
}

/** Whole days from the table's date to `now`. */
export function releaseTableAgeDays(now: Date): number {
  return Math.floor((now.getTime() - Date.parse(`${RELEASE_TABLE_DATE}T00:00:00Z`)) / 86_400_000);
}
