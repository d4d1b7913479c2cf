import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

/** The tool name every report carries. */
export const TOOL_NAME = "hardened-docker";

const PACKAGE_NAME = "cdktf-hardened-docker";

let cachedRoot: { dir: string; version: string } | null | undefined;

/**
 * The folder holding the library's own package.json (found by walking up from this file, so it
 * works from the TypeScript sources and from the compiled `dist/`), with its version; undefined
 * when not found.
 */
function ownPackage(): { dir: string; version: string } | undefined {
  if (cachedRoot !== undefined) return cachedRoot ?? undefined;
  cachedRoot = null;
  let dir = __dirname;
  for (let depth = 0; depth < 8; depth += 1) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(candidate, "utf8"));
        if (
          parsed !== null &&
          typeof parsed === "object" &&
          (parsed as { name?: unknown }).name === PACKAGE_NAME &&
          typeof (parsed as { version?: unknown }).version === "string"
        ) {
          cachedRoot = { dir, version: (parsed as { version: string }).version };
          return cachedRoot;
        }
      } catch {
        // not our package.json; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The library's semver, from its own package.json; `0.0.0` when not found. */
export function toolVersion(): string {
  return ownPackage()?.version ?? "0.0.0";
}

/** The library's package folder (the repository, or `node_modules/cdktf-hardened-docker`). */
export function packageRoot(): string | undefined {
  return ownPackage()?.dir;
}
