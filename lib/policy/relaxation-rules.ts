import { DEFAULT_RULES } from "./pack";
import { RELAXATION_KINDS, RelaxationKind } from "./relaxations";
import { Rule } from "./rule";

/**
 * The rule IDs each relaxation waives, read from the rules themselves (`Rule.waivedBy`): the map
 * lives once, on the rule objects, and a relaxation's labels, its waivers and the docs all read
 * it from here.
 */
export function relaxationWaives(
  rules: readonly Pick<Rule, "id" | "waivedBy">[],
): Readonly<Record<RelaxationKind, readonly string[]>> {
  const table = Object.fromEntries(RELAXATION_KINDS.map((k) => [k, [] as string[]])) as Record<
    RelaxationKind,
    string[]
  >;
  for (const rule of rules) {
    for (const kind of rule.waivedBy ?? []) table[kind].push(rule.id);
  }
  return table;
}

/** The rule IDs each relaxation waives in the default pack. */
export const RELAXATION_WAIVES: Readonly<Record<RelaxationKind, readonly string[]>> =
  relaxationWaives(DEFAULT_RULES);
