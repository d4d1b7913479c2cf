import { BlockList, isIP } from "node:net";

/**
 * What a published port's host address means, parsed with `node:net` rather than compared as
 * text: `::0`, `0::0`, `0:0:0:0:0:0:0:0`, `::ffff:0.0.0.0` and `0.0.0.0` all spell the
 * unspecified address, which Docker binds on every interface (CIS 5.14).
 */

const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress("0.0.0.0", "ipv4");
UNSPECIFIED.addAddress("::", "ipv6");

/** `all`: every interface; `specific`: one address; `invalid`: not an IP address. */
export type HostAddressScope = "all" | "specific" | "invalid";

/** Scopes already decided (a stack uses a handful of addresses; rules run per container). */
const scopes = new Map<string, HostAddressScope>();

/** The scope of a port's host address (`""` and `[::]` included; brackets are removed). */
export function hostAddressScope(address: string): HostAddressScope {
  const known = scopes.get(address);
  if (known !== undefined) return known;
  const scope = scopeOf(address);
  if (scopes.size > 10_000) scopes.clear();
  scopes.set(address, scope);
  return scope;
}

function scopeOf(address: string): HostAddressScope {
  const text = address.trim().replace(/^\[(.*)\]$/, "$1");
  if (text === "") return "all";
  const version = isIP(text);
  if (version === 0) return "invalid";
  return UNSPECIFIED.check(text, version === 4 ? "ipv4" : "ipv6") ? "all" : "specific";
}
