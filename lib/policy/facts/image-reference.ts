import { trimEndChar } from "./linear-text";
/**
 * The one parser of image references (`[registry/]repository[:tag][@sha256:<64 hex>]`). The
 * construct, the tag helper and the policy adapters all read references through it.
 */
export interface ImageReference {
  /** Registry host (with port) when the reference names one, e.g. `127.0.0.1:5000`. */
  readonly registry?: string;
  /** Repository path without registry, e.g. `payments/api`. */
  readonly path: string;
  /** Registry and path, e.g. `registry.example.com/payments/api`: what allowlists match. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when pinned. */
  readonly digest?: string;
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY_RE = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

/** Parses a reference; returns a reason string when it is not a valid image reference. */
export function parseImageReference(text: string): ImageReference | string {
  if (text.length === 0 || text.length > 512) return "an image reference is 1 to 512 characters";
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest))
      return `"${digest}" is not a sha256 digest (sha256: followed by 64 lowercase hex digits)`;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return `"${tag}" is not a valid tag`;
  }
  const parts = rest.split("/");
  let registry: string | undefined;
  if (
    parts.length > 1 &&
    (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")
  ) {
    registry = parts.shift();
    if (!REGISTRY_RE.test(registry ?? "")) return `"${registry}" is not a valid registry host`;
  }
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT_RE.test(p))) {
    return `"${rest}" is not a valid repository name (lowercase letters, digits and . _ - separators)`;
  }
  const path = parts.join("/");
  return {
    registry,
    path,
    repository: registry ? `${registry}/${path}` : path,
    tag,
    digest,
  };
}

/** True for `name@sha256:<64 hex>`. */
export function isPinnedByDigest(text: string): boolean {
  const parsed = parseImageReference(text);
  return typeof parsed !== "string" && parsed.digest !== undefined;
}

/**
 * True when `repository` is allowed by one of `allowed` prefixes. A prefix matches whole path
 * components: `registry.example.com/payments` allows `registry.example.com/payments/api` but not
 * `registry.example.com/payments-evil/api`.
 */
export function repositoryIsTrusted(repository: string, allowed: readonly string[]): boolean {
  return allowed.some((prefix) => {
    const p = trimEndChar(prefix, "/");
    return repository === p || repository.startsWith(p + "/");
  });
}
