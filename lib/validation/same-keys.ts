/**
 * Compile-time link between a props interface and its zod schema: `SameKeys<A, B>` is `true`
 * when both name exactly the same fields, else a type naming the fields only one side has, so
 * `const check: SameKeys<...> = true` stops the build when a prop is added to one and not the
 * other.
 */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [
  never,
  never,
]
  ? true
  : { onlyInFirst: Exclude<keyof A, keyof B>; onlyInSecond: Exclude<keyof B, keyof A> };
