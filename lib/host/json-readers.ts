import { HealthcheckModel } from "../policy/model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import { sortedStrings } from "../policy/normalize";
import { describeValue, isRecord } from "../synth/terraform-values";

/**
 * Readers for Engine API JSON (`docker inspect`, `docker service inspect`): each returns the
 * value, the Engine's zero value when the field is absent, or an {@link Unknown} saying what is
 * wrong with it. None of them throws.
 */

export type Json = Record<string, unknown>;

export function section(root: Json, key: string): Maybe<Json> {
  const value = root[key];
  if (isRecord(value)) return value;
  return new Unknown(`${key} should be an object but is ${describeValue(value)}`);
}

export function text(
  where: Maybe<Json>,
  path: string,
  key: string,
  fallback: string,
): Maybe<string> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string") return value;
  return new Unknown(`${path}.${key} should be a string but is ${describeValue(value)}`);
}

export function flag(where: Maybe<Json>, path: string, key: string): Maybe<boolean> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  return new Unknown(`${path}.${key} should be true or false but is ${describeValue(value)}`);
}

export function num(where: Maybe<Json>, path: string, key: string): Maybe<number> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return new Unknown(`${path}.${key} should be a number but is ${describeValue(value)}`);
}

export function texts(where: Maybe<Json>, path: string, key: string): Maybe<string[]> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) {
    return sortedStrings(value);
  }
  return new Unknown(`${path}.${key} should be a list of strings but is ${describeValue(value)}`);
}

export function objects(where: Maybe<Json>, path: string, key: string): Maybe<Json[]> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every(isRecord)) return value;
  return new Unknown(`${path}.${key} should be a list of objects but is ${describeValue(value)}`);
}

export function stringMap(
  where: Maybe<Json>,
  path: string,
  key: string,
): Maybe<Record<string, string>> {
  if (isUnknown(where)) return where;
  const value = where[key];
  if (value === undefined || value === null) return {};
  if (isRecord(value) && Object.values(value).every((v) => typeof v === "string")) {
    return { ...(value as Record<string, string>) };
  }
  return new Unknown(`${path}.${key} should be a map of strings but is ${describeValue(value)}`);
}

/**
 * The Engine's `HealthConfig` under `where.Healthcheck` (a container's `Config`, a service's
 * `ContainerSpec`): undefined when absent or without a test, else its command, read unsorted
 * because its order matters.
 */
export function healthConfig(
  where: Maybe<Json>,
  path: string,
): Maybe<HealthcheckModel | undefined> {
  if (isUnknown(where)) return where;
  const health = where.Healthcheck;
  if (health === undefined || health === null) return undefined;
  if (!isRecord(health)) {
    return new Unknown(`${path}.Healthcheck should be an object but is ${describeValue(health)}`);
  }
  if (health.Test === undefined || health.Test === null) return undefined;
  // texts() validates (and sorts) the list; the command itself is kept in its order.
  const test = texts(health, `${path}.Healthcheck`, "Test");
  if (isUnknown(test)) return test;
  return { test: health.Test as string[] };
}
