import { describeValue, isRecord } from "./terraform-values";

/**
 * The one definition of "a Terraform configuration" for every reader of this library: which
 * top-level keys it may hold, and the shapes Terraform's JSON syntax accepts for them. A
 * configuration comes in one or more fragments (the files of one folder, each a JSON object, or
 * HCL turned into JSON); they are merged into one canonical object in which `resource` and `data`
 * are `{ <type>: { <name>: <body object> } }`, whatever array forms the input used, and every
 * `dynamic` block, at any depth, is replaced by a value the adapters read as "only known at plan
 * time". What Terraform would refuse is refused here ({@link TerraformConfigError}); what it would
 * create but this library does not read (modules) is listed in `unread`, never dropped silently.
 */

/** The top-level keys Terraform accepts in a configuration file. */
export const TERRAFORM_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  "//",
  "terraform",
  "provider",
  "resource",
  "data",
  "variable",
  "output",
  "locals",
  "module",
  "moved",
  "import",
  "check",
  "removed",
]);

/** Configuration Terraform would refuse, or this library refuses to guess about. One line. */
export class TerraformConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerraformConfigError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** One fragment of a configuration: a parsed file (or a test's object) and where it came from. */
export interface ConfigFragment {
  readonly json: unknown;
  /** The file, for messages; absent for an object handed over in code. */
  readonly file?: string;
}

/** A configuration merged from its fragments. */
export interface TerraformConfig {
  /** The canonical object (see the module comment). */
  readonly json: Record<string, unknown>;
  /**
   * What Terraform creates that this library does not read (a `module` block): each becomes
   * an error-level `unknown` finding, so the gate does not pass what it did not see.
   */
  readonly unread: readonly string[];
  /** The file each resource body came from, by address (`docker_container.web`). */
  readonly fileOf: ReadonlyMap<string, string>;
  /** The resource bodies as written (before `dynamic` was replaced), by address, for line numbers. */
  readonly writtenBodyOf: ReadonlyMap<string, object>;
}

/**
 * The string a `dynamic` block's generated block is replaced with. It is a Terraform template
 * expression, so every attribute reader reports the block as only known at plan time.
 */
export function dynamicMarker(blockName: string): string {
  return `\${dynamic "${blockName}" block: generated at plan time}`;
}

/** `value` as a list of objects: Terraform JSON writes a block as an object or an array of objects. */
function objectsOf(value: unknown, where: string): Record<string, unknown>[] {
  if (isRecord(value)) return [value];
  if (Array.isArray(value) && value.every(isRecord)) return value;
  throw new TerraformConfigError(
    `${where} should be an object (or an array of objects) but is ${describeValue(value)}`,
  );
}

/**
 * `body` with every `dynamic` block, at any depth, replaced by {@link dynamicMarker} under the
 * name of the block it generates. Returns `body` itself when it has none.
 */
export function withoutDynamicBlocks(body: unknown, depth = 0): unknown {
  if (depth > 128) {
    // Deeper than the JSON parser allows: refuse rather than miss a dynamic block down there.
    throw new TerraformConfigError("a resource body is nested more than 128 levels deep");
  }
  if (Array.isArray(body)) {
    let changed: unknown[] | undefined;
    body.forEach((element, i) => {
      const next = withoutDynamicBlocks(element, depth + 1);
      if (next !== element) {
        changed ??= body.slice();
        changed[i] = next;
      }
    });
    return changed ?? body;
  }
  if (!isRecord(body)) return body;
  let changed: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === "//") continue;
    if (key === "dynamic") {
      changed ??= { ...body };
      delete changed.dynamic;
      const names = new Set<string>();
      const blocks = isRecord(value) || Array.isArray(value) ? value : {};
      for (const entry of Array.isArray(blocks) ? blocks : [blocks]) {
        if (isRecord(entry)) for (const name of Object.keys(entry)) names.add(name);
      }
      if (names.size === 0) names.add("(unnamed)");
      for (const name of names) changed[name] = dynamicMarker(name);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (changed !== undefined && changed[key] !== value) continue; // replaced by a dynamic block
    const next = withoutDynamicBlocks(value, depth + 1);
    if (next !== value) {
      changed ??= { ...body };
      changed[key] = next;
    }
  }
  // A static block of the same name as a dynamic one: the dynamic one wins (both unknown).
  if (changed !== undefined && isRecord(body.dynamic)) {
    for (const name of Object.keys(body.dynamic)) changed[name] = dynamicMarker(name);
  }
  return changed ?? body;
}

/**
 * Merges the fragments of one configuration. Throws {@link TerraformConfigError} for what
 * Terraform would refuse: a fragment that is not an object, a top-level key Terraform does not
 * know, a block of the wrong shape, the same resource address declared twice.
 */
export function readTerraformConfig(fragments: readonly ConfigFragment[]): TerraformConfig {
  const json: Record<string, unknown> = {};
  const sections: Record<"resource" | "data", Record<string, Record<string, unknown>>> = {
    resource: {},
    data: {},
  };
  const unread: string[] = [];
  const fileOf = new Map<string, string>();
  const writtenBodyOf = new Map<string, object>();
  const seen = new Set<string>();

  for (const fragment of fragments) {
    const where = fragment.file !== undefined ? `${fragment.file}: ` : "";
    const top = fragment.json;
    if (!isRecord(top)) {
      throw new TerraformConfigError(
        `${where}not a Terraform JSON configuration: expected an object, got ${describeValue(top)}`,
      );
    }
    const unexpected = Object.keys(top).filter((k) => !TERRAFORM_TOP_LEVEL_KEYS.has(k));
    if (unexpected.length > 0) {
      throw new TerraformConfigError(
        `${where}not a Terraform JSON configuration: unexpected top-level key${unexpected.length === 1 ? "" : "s"} ` +
          `${unexpected
            .slice(0, 5)
            .map((k) => JSON.stringify(k.slice(0, 60)))
            .join(", ")} (Terraform accepts ${[...TERRAFORM_TOP_LEVEL_KEYS].join(", ")})`,
      );
    }
    for (const [key, value] of Object.entries(top)) {
      if (key === "resource" || key === "data") {
        seen.add(key);
        const prefix = key === "data" ? "data." : "";
        for (const byType of objectsOf(value, `${where}"${key}"`)) {
          for (const [type, named] of Object.entries(byType)) {
            const ofType = (sections[key][type] ??= {});
            for (const byName of objectsOf(named, `${where}${prefix}${type}`)) {
              for (const [name, bodies] of Object.entries(byName)) {
                const address = `${prefix}${type}.${name}`;
                const list = objectsOf(bodies, `${where}${address}`);
                if (list.length !== 1 || Object.prototype.hasOwnProperty.call(ofType, name)) {
                  throw new TerraformConfigError(
                    `${where}${address} is declared more than once (Terraform refuses a duplicate resource): keep one`,
                  );
                }
                const body = list[0] as Record<string, unknown>;
                ofType[name] = withoutDynamicBlocks(body);
                writtenBodyOf.set(address, body);
                if (fragment.file !== undefined) fileOf.set(address, fragment.file);
              }
            }
          }
        }
        continue;
      }
      if (key === "module") {
        for (const byName of objectsOf(value, `${where}"module"`)) {
          for (const [name, bodies] of Object.entries(byName)) {
            const body = Array.isArray(bodies) ? bodies[0] : bodies;
            const source = isRecord(body) && typeof body.source === "string" ? body.source : "?";
            unread.push(
              `module.${name} (source ${JSON.stringify(source.slice(0, 120))}): Terraform creates the resources of this module, which the audit does not read; audit the module's own configuration, or let this through with --allow-unknown`,
            );
          }
        }
      }
      // Other blocks create nothing the rules judge; the first fragment's value is kept for
      // readers that want it (metadata, provider settings), later ones are merged shallowly.
      if (json[key] === undefined) json[key] = value;
      else if (isRecord(json[key]) && isRecord(value)) json[key] = { ...json[key], ...value };
    }
  }
  if (seen.has("resource")) json.resource = sections.resource;
  if (seen.has("data")) json.data = sections.data;
  return { json, unread, fileOf, writtenBodyOf };
}
