import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { engineGate, type EngineGate } from "./engine-gate";

/**
 * The gate for tests that sign images with the real cosign CLI, on top of the engine gate: they
 * need a Docker Engine, the loopback registry and a cosign binary. `.ci/run` installs cosign
 * (pinned, `go install`) into {@link COSIGN_CACHE_DIR}; `COSIGN_BIN` names another binary.
 *
 * - All there: the tests run.
 * - Something missing, REQUIRE_COSIGN=1 or REQUIRE_DOCKER=1 (CI): one test fails with the reason.
 * - Something missing otherwise: one line on stderr, and Jest reports the tests as skipped.
 */

/** The cosign release `.ci/run` installs. */
export const COSIGN_VERSION = "v2.6.5";
/** Where `.ci/run` installs it (`GOBIN`). */
export const COSIGN_CACHE_DIR = path.join(
  homedir(),
  ".cache",
  "hardened-docker",
  `cosign-${COSIGN_VERSION}`,
);

/** The cosign binary to use: `COSIGN_BIN`, else the cached install, else `cosign` on PATH. */
export function cosignBinary(): string | undefined {
  const candidates = [process.env.COSIGN_BIN, path.join(COSIGN_CACHE_DIR, "cosign")].filter(
    (c): c is string => typeof c === "string" && c !== "",
  );
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  const onPath = spawnSync("sh", ["-c", "command -v cosign"], { encoding: "utf8" });
  const found = (onPath.stdout ?? "").trim();
  return onPath.status === 0 && found !== "" ? found : undefined;
}

function cosignRequired(): boolean {
  return process.env.REQUIRE_COSIGN === "1" || process.env.REQUIRE_DOCKER === "1";
}

export type CosignGate = EngineGate & { readonly cosign?: string };

/** Decides whether the cosign tests named `suite` run; prints one line when they do not. */
export function cosignGate(suite: string): CosignGate {
  const engine = engineGate(suite, { registry: true });
  if (!engine.run) return engine;
  const cosign = cosignBinary();
  if (cosign) return { run: true, cosign };
  const reason =
    `no cosign binary (COSIGN_BIN, ${path.join(COSIGN_CACHE_DIR, "cosign")} or cosign on PATH); ` +
    `.ci/run installs it with: GOBIN=${COSIGN_CACHE_DIR} go install github.com/sigstore/cosign/v2/cmd/cosign@${COSIGN_VERSION}`;
  if (!cosignRequired()) process.stderr.write(`[cosign tests] ${suite} skipped: ${reason}\n`);
  return { run: false, reason };
}

/** `describe` when the gate lets the tests run; else `describe.skip` (and a failing test when required). */
export function cosignDescribe(suite: string, gate: CosignGate): jest.Describe {
  if (gate.run) return describe;
  if (cosignRequired() && process.env.HD_SKIP_ENGINE_TESTS !== "1") {
    test(`${suite} requires a Docker Engine, the loopback registry and cosign`, () => {
      throw new Error(`${suite} could not run: ${gate.reason}`);
    });
  }
  return describe.skip;
}
