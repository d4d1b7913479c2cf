import http from "node:http";

/** The loopback registry `.ci/run` starts (Debian's docker-registry, plain HTTP). */
export const E2E_REGISTRY = "127.0.0.1:5000";

/** True when the registry answers `GET /v2/` (status 200 or 401) within `timeoutMs`. */
export function registryAnswers(timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`http://${E2E_REGISTRY}/v2/`, { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 || response.statusCode === 401);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}
