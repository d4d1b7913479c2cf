/**
 * Terraform interpolations in synthesized JSON: `${docker_image.web.image_id}`, also inside longer
 * strings (`127.0.0.1:5000/hd/web@${data.docker_registry_image.web.sha256_digest}`). The `up`
 * harness resolves references to resources of the same stack and refuses every other expression
 * (`var.`, `local.`, functions, template directives): it has no Terraform to evaluate them.
 */

/** `type.name.attribute` or `data.type.name.attribute`, nothing else. */
const REFERENCE_RE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z][a-z0-9_]*)$/;

/** A reference to an attribute of another resource in the stack. */
export interface ResourceReference {
  /** Resource address, e.g. `docker_image.web` or `data.docker_registry_image.web`. */
  readonly address: string;
  /** Attribute name, e.g. `image_id`. */
  readonly attribute: string;
  /** The expression as written, e.g. `${docker_image.web.image_id}`. */
  readonly expression: string;
}

/** One piece of a string: literal text, a resource reference, or an expression we cannot run. */
export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "reference"; readonly reference: ResourceReference }
  | { readonly kind: "unsupported"; readonly expression: string };

/** Index just past the `}` closing an interpolation opened at `start` (pointing at `${`). */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let quote = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Splits a string into literal text and interpolations (`$${` and `%%{` are escapes). */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
      literal += text[i + 1] + "{";
      i += 3;
      continue;
    }
    if (text.startsWith("${", i) || text.startsWith("%{", i)) {
      const end = closingBrace(text, i);
      const expression = end < 0 ? text.slice(i) : text.slice(i, end);
      if (literal !== "") parts.push({ kind: "text", text: literal });
      literal = "";
      const inner = expression.startsWith("${") && end >= 0 ? expression.slice(2, -1).trim() : "";
      const match = REFERENCE_RE.exec(inner);
      if (match) {
        const address = `${match[1] ?? ""}${match[2]}.${match[3]}`;
        parts.push({ kind: "reference", reference: { address, attribute: match[4], expression } });
      } else {
        parts.push({ kind: "unsupported", expression });
      }
      i = end < 0 ? text.length : end;
      continue;
    }
    literal += text[i];
    i++;
  }
  if (literal !== "") parts.push({ kind: "text", text: literal });
  return parts;
}

/** A string-valued leaf of an attribute tree, with its dotted path (`ports[0].ip`). */
export interface StringLeaf {
  readonly path: string;
  readonly value: string;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Every string in `value` (skipping `//` metadata keys), with its path. */
export function stringLeaves(value: unknown, path = ""): StringLeaf[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, childPath(path, i)));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .filter(([k]) => k !== "//")
      .flatMap(([k, v]) => stringLeaves(v, childPath(path, k)));
  }
  return [];
}

/** The references in an attribute tree, and the expressions that are not references. */
export function collectReferences(value: unknown): {
  references: { path: string; reference: ResourceReference }[];
  unsupported: { path: string; expression: string }[];
} {
  const references: { path: string; reference: ResourceReference }[] = [];
  const unsupported: { path: string; expression: string }[] = [];
  for (const leaf of stringLeaves(value)) {
    for (const part of parseTemplate(leaf.value)) {
      if (part.kind === "reference")
        references.push({ path: leaf.path, reference: part.reference });
      if (part.kind === "unsupported")
        unsupported.push({ path: leaf.path, expression: part.expression });
    }
  }
  return { references, unsupported };
}

/**
 * Returns a copy of `value` with every reference replaced by `lookup(reference, path)` (which
 * throws when it cannot resolve) and escapes unescaped. `//` metadata keys are dropped.
 */
export function resolveReferences(
  value: unknown,
  lookup: (reference: ResourceReference, path: string) => string,
  unsupported: (expression: string, path: string) => never,
  path = "",
): unknown {
  if (typeof value === "string") {
    return parseTemplate(value)
      .map((part) => {
        if (part.kind === "text") return part.text;
        if (part.kind === "reference") return lookup(part.reference, path);
        return unsupported(part.expression, path);
      })
      .join("");
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveReferences(v, lookup, unsupported, childPath(path, i)));
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue;
      out[k] = resolveReferences(v, lookup, unsupported, childPath(path, k));
    }
    return out;
  }
  return value;
}
