import { spawnSync } from "node:child_process";
import { E2E_REGISTRY } from "../e2e/support/registry";
import { dockerRequired } from "./docker-available";
import { terraformTools } from "./terraform-deploy";

/**
 * The one gate for tests that need a real Docker Engine (and, for the end-to-end suites, the
 * loopback registry their digest-pinned images live in). A file decides at load time:
 *
 * ```ts
 * const gate = engineGate("attack battery", { registry: true, terraform: true });
 * const describeEngine = engineDescribe("attack battery", gate);
 * if (gate.run) beforeAll(...);          // hooks only when the engine answers
 * describeEngine("...", () => { ... });  // describe, or describe.skip
 * ```
 *
 * `terraform: true`: the suite deploys through Terraform (test/support/terraform-deploy.ts), so it
 * also needs `terraform` and the provider mirror (`npm run provider:mirror`).
 *
 * - Engine (and what else they need) there: the tests run.
 * - No engine, REQUIRE_DOCKER=1 (CI): one test fails with the reason, the others are skipped.
 * - No engine otherwise: one line on stderr says which tests did not run and why, and Jest
 *   reports them as skipped, never as passed.
 * - HD_SKIP_ENGINE_TESTS=1 (`npm run test:unit`): skipped without asking the engine.
 */
export type EngineGate = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * Runs in a child Node process so the decision is synchronous: it pings the Engine (`GET /_ping`
 * on DOCKER_HOST's socket or /var/run/docker.sock) and, when asked, the registry (`GET /v2/`).
 */
const CHECK_SCRIPT = `
const http = require("node:http");
const host = process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
const wantRegistry = process.argv[1] === "registry";
function get(options) {
  return new Promise((resolve) => {
    const req = http.get({ timeout: 3000, ...options }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on("timeout", () => { req.destroy(); });
    req.on("error", (e) => resolve(e.code || e.message));
  });
}
(async () => {
  const engine = host.startsWith("unix://")
    ? await get({ socketPath: host.slice("unix://".length), path: "/_ping" })
    : host.startsWith("tcp://")
      ? await get({ host: new URL(host).hostname, port: new URL(host).port, path: "/_ping" })
      : "unsupported DOCKER_HOST " + host;
  if (engine !== 200) {
    console.log("no Docker Engine answers at " + host + " (" + engine + ")");
    return;
  }
  if (wantRegistry) {
    const registry = await get({ host: "${E2E_REGISTRY.split(":")[0]}", port: ${E2E_REGISTRY.split(":")[1]}, path: "/v2/" });
    if (registry !== 200 && registry !== 401) {
      console.log("the Docker Engine answers, but no registry answers at http://${E2E_REGISTRY}/v2/ (" + registry + "); the test images are pinned by digest and need it (.ci/run starts one)");
      return;
    }
  }
  console.log("ok");
})();
`;

/** What a suite needs besides the engine. */
export interface EngineNeeds {
  /** The loopback registry the digest-pinned test images live in. */
  readonly registry?: boolean;
  /** Terraform and the provider mirror: the suite deploys through Terraform. */
  readonly terraform?: boolean;
}

/** Decides whether the engine tests named `suite` run; prints one line when they do not. */
export function engineGate(suite: string, needs: EngineNeeds = {}): EngineGate {
  if (process.env.HD_SKIP_ENGINE_TESTS === "1") {
    return { run: false, reason: "HD_SKIP_ENGINE_TESTS=1 (npm run test:unit)" };
  }
  const result = spawnSync(
    process.execPath,
    ["-e", CHECK_SCRIPT, needs.registry ? "registry" : "engine"],
    { encoding: "utf8", timeout: 15_000 },
  );
  const answer = (result.stdout ?? "").trim();
  const tools = answer === "ok" && needs.terraform ? terraformTools() : undefined;
  if (answer === "ok" && typeof tools !== "string") return { run: true };
  const reason =
    typeof tools === "string"
      ? `the Docker Engine answers, but the suite deploys through Terraform and ${tools}`
      : answer || `the engine check did not finish (${result.error?.message ?? result.status})`;
  if (!dockerRequired()) {
    process.stderr.write(`[engine tests] ${suite} skipped: ${reason}\n`);
  }
  return { run: false, reason };
}

/**
 * `describe` when the gate lets the tests run, else `describe.skip`. With REQUIRE_DOCKER=1 and no
 * engine it also defines one test that fails with the reason: CI never passes without them.
 */
export function engineDescribe(suite: string, gate: EngineGate): jest.Describe {
  if (gate.run) return describe;
  if (dockerRequired() && process.env.HD_SKIP_ENGINE_TESTS !== "1") {
    test(`${suite} requires a Docker Engine and what it deploys with (REQUIRE_DOCKER=1)`, () => {
      throw new Error(`${suite} could not run: ${gate.reason}`);
    });
  }
  return describe.skip;
}
