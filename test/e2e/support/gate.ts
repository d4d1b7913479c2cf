import { spawnSync } from "node:child_process";
import { dockerRequired } from "../../support/docker-available";
import { E2E_REGISTRY } from "./registry";

/** Whether an end-to-end file can run here, decided once when the file loads. */
export type E2EGate = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * The check runs in a child Node process so the decision is synchronous: a test file must know
 * at load time whether it defines its engine tests. It pings the Engine (`GET /_ping` on
 * DOCKER_HOST's socket or /var/run/docker.sock) and the loopback registry (`GET /v2/`) the
 * digest-pinned test images are pushed to.
 */
const CHECK_SCRIPT = `
const http = require("node:http");
const host = process.env.DOCKER_HOST || "unix:///var/run/docker.sock";
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
  const registry = await get({ host: "${E2E_REGISTRY.split(":")[0]}", port: ${E2E_REGISTRY.split(":")[1]}, path: "/v2/" });
  if (registry !== 200 && registry !== 401) {
    console.log("the Docker Engine answers, but no registry answers at http://${E2E_REGISTRY}/v2/ (" + registry + "); the test images are pinned by digest and need it (.ci/run starts one)");
    return;
  }
  console.log("ok");
})();
`;

/**
 * Decides whether the e2e file named `suite` runs; prints one line when it does not, in the same
 * form as test/support/docker-available.ts. That module's `requireDockerOrExplain` is async and
 * checks the engine only; an e2e file must decide at load time, and also needs the registry.
 */
export function e2eGate(suite: string): E2EGate {
  const result = spawnSync(process.execPath, ["-e", CHECK_SCRIPT], {
    encoding: "utf8",
    timeout: 15_000,
  });
  const answer = (result.stdout ?? "").trim();
  if (answer === "ok") return { run: true };
  const reason =
    answer || `the engine check did not finish (${result.error?.message ?? result.status})`;
  if (!dockerRequired()) {
    process.stderr.write(`[engine tests] ${suite} did NOT run: ${reason}\n`);
  }
  return { run: false, reason };
}

/**
 * With REQUIRE_DOCKER=1, a file whose engine tests cannot run defines one test that fails with
 * the reason (CI must never pass without having run them). Otherwise it defines nothing: the
 * notice printed by {@link e2eGate} says why, and the file's engine-independent tests still run.
 */
export function failWhenRequired(suite: string, gate: { readonly reason: string }): void {
  if (!dockerRequired()) return;
  test(`${suite} requires a Docker Engine and the loopback registry (REQUIRE_DOCKER=1)`, () => {
    throw new Error(`${suite} could not run: ${gate.reason}`);
  });
}
