/**
 * Who runs a resource, why, and until when. Written as `io.hardened-docker.*` labels on every
 * resource the library creates (containers, services, networks), so an audit of a host or a
 * swarm answers those questions from the resource alone.
 */
export interface AuditProps {
  /** The team or person answerable for the resource, e.g. `payments-team`. Required. */
  readonly owner: string;
  /** Why it runs, in words, e.g. `public REST API`. Required. */
  readonly purpose: string;
  /**
   * The last day it may run, `YYYY-MM-DD`. Required. Synth fails when it is in the past or
   * further ahead than `maxLifetimeDays`, so every resource is reviewed at least that often.
   */
  readonly expires: string;
  /**
   * Who deployed it.
   * @default the environment: `HARDENED_DOCKER_DEPLOYED_BY`, else `GITHUB_ACTOR`, `GITLAB_USER_LOGIN`,
   * `BUILD_REQUESTEDFOR`, `USER`, `USERNAME`, then the OS account running the synth; synth fails when none is known, so no resource is
   * anonymous. Note: the label is part of the resource, so deploying as someone else recreates it.
   */
  readonly deployedBy?: string;
  /** A change ticket, e.g. `PAY-1234`. @default none */
  readonly ticket?: string;
  /** Where to reach the owner, e.g. a channel or mail address. @default none */
  readonly contact?: string;
  /**
   * How far ahead `expires` may be, in days (1 to 3650). A shorter bound is written as a label
   * the policy enforces. A longer one only lets synth accept the date: the HD-EXPIRES rule still
   * allows 365 days, because a label anyone can write must not widen it, so a longer lifetime
   * also needs `Suppressions.add(construct, [{ ruleId: "HD-EXPIRES", reason }])`.
   * @default 365 - a resource nobody has looked at for a year is a risk nobody owns.
   */
  readonly maxLifetimeDays?: number;
}
