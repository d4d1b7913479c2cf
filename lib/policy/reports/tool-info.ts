import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

/** The tool name every report carries. */
export const TOOL_NAME = "hardened-docker";

const PACKAGE_NAME = "cdktf-hardened-docker";

let cachedVersion: string | undefined;

/**
 * The library's semver, read from its own package.json (found by walking up from this file, so
 * it works from the TypeScript sources and from the compiled `dist/`). `0.0.0` when not found.
 */
export function toolVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
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
          cachedVersion = (parsed as { version: string }).version;
          return cachedVersion;
        }
      } catch {
        // not our package.json; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cachedVersion = "0.0.0";
  return cachedVersion;
}
