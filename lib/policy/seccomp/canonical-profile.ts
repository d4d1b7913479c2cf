import { SeccompArg, SeccompFilter, SeccompProfileJson, SeccompSyscallRule } from "./profile-types";

/*
 * One canonical form for every profile the builder holds: fixed key order, no undefined fields,
 * the deprecated `name` folded into `names`, names sorted and unique. Two equal profiles
 * therefore serialize to the same bytes, which keeps `terraform plan` free of spurious diffs.
 */

function defined<T extends object>(entries: [keyof T, unknown][]): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== undefined) out[key as string] = value;
  return out as T;
}

function canonicalFilter(filter: SeccompFilter | undefined): SeccompFilter | undefined {
  if (filter === undefined) return undefined;
  return defined<SeccompFilter>([
    ["arches", filter.arches ? [...filter.arches] : undefined],
    ["caps", filter.caps ? [...filter.caps] : undefined],
    ["minKernel", filter.minKernel],
  ]);
}

function canonicalArg(arg: SeccompArg): SeccompArg {
  return defined<SeccompArg>([
    ["index", arg.index],
    ["value", arg.value],
    ["valueTwo", arg.valueTwo],
    ["op", arg.op],
  ]);
}

/** The names a rule covers, `name` included, sorted and unique. */
export function ruleNames(rule: SeccompSyscallRule): string[] {
  const all = [...(rule.names ?? []), ...(rule.name === undefined ? [] : [rule.name])];
  return [...new Set(all)].sort();
}

export function canonicalRule(rule: SeccompSyscallRule): SeccompSyscallRule {
  return defined<SeccompSyscallRule>([
    ["names", ruleNames(rule)],
    ["action", rule.action],
    ["errnoRet", rule.errnoRet],
    ["args", rule.args && rule.args.length > 0 ? rule.args.map(canonicalArg) : undefined],
    ["comment", rule.comment],
    ["includes", canonicalFilter(rule.includes)],
    ["excludes", canonicalFilter(rule.excludes)],
  ]);
}

export function canonicalProfile(profile: SeccompProfileJson): SeccompProfileJson {
  return defined<SeccompProfileJson>([
    ["defaultAction", profile.defaultAction],
    ["defaultErrnoRet", profile.defaultErrnoRet],
    ["architectures", profile.architectures ? [...profile.architectures] : undefined],
    [
      "archMap",
      profile.archMap?.map((a) => ({
        architecture: a.architecture,
        subArchitectures: a.subArchitectures ? [...a.subArchitectures] : null,
      })),
    ],
    ["listenerPath", profile.listenerPath],
    ["listenerMetadata", profile.listenerMetadata],
    ["flags", profile.flags ? [...profile.flags] : undefined],
    [
      "syscalls",
      (profile.syscalls ?? []).filter((r) => ruleNames(r).length > 0).map(canonicalRule),
    ],
  ]);
}

/** Freezes a JSON value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
