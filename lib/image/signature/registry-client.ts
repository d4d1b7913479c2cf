import http from "node:http";
import https from "node:https";
import type { ImageReference } from "../../policy/facts/image-reference";

/**
 * A read-only client of the OCI distribution API, enough to read what cosign attaches to an
 * image: manifests by tag or digest, blobs, and the referrers API. Anonymous, with the Bearer
 * token dance public registries ask for (`WWW-Authenticate: Bearer realm=...`).
 *
 * Scheme: plain HTTP for a loopback registry (127.0.0.1, localhost, [::1]), as the Docker Engine
 * allows without an `insecure-registries` entry; HTTPS with certificate checks everywhere else.
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const DOCKER_HUB = "registry-1.docker.io";

/** The registry could not be asked (network, TLS, 5xx, authentication): exit code 2. */
export class RegistryUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryUnreachableError";
    this.stack = `${this.name}: ${message}`;
  }
}

export interface RegistryResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RegistryClientOptions {
  /** @default "http" for loopback registries, "https" otherwise */
  readonly scheme?: "http" | "https";
  /** @default 15000 */
  readonly timeoutMs?: number;
}

/** Largest manifest or signature blob read (cosign's are a few KiB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function request(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<RegistryResponse> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: "GET", headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function parseChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^Bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/(?<![a-zA-Z])([a-zA-Z]+)="([^"]*)"/g))
    params[m[1].toLowerCase()] = m[2];
  return params.realm ? params : undefined;
}

/** Reads one repository of one registry. */
export class RegistryClient {
  public readonly baseUrl: string;
  private readonly path: string;
  private readonly timeoutMs: number;
  private token: string | undefined;

  constructor(reference: ImageReference, options: RegistryClientOptions = {}) {
    const registry = reference.registry ?? DOCKER_HUB;
    const host = registry === "docker.io" ? DOCKER_HUB : registry;
    const hostname = host.replace(/:\d+$/, "");
    const scheme = options.scheme ?? (LOOPBACK_HOSTS.has(hostname) ? "http" : "https");
    this.path =
      reference.registry || reference.path.includes("/")
        ? reference.path
        : `library/${reference.path}`;
    this.baseUrl = `${scheme}://${host}`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** `GET /v2/<repo>/<suffix>`, with an anonymous token when the registry asks for one. */
  async get(suffix: string, accept?: string): Promise<RegistryResponse> {
    const url = new URL(`${this.baseUrl}/v2/${this.path}/${suffix}`);
    const headers: Record<string, string> = {};
    if (accept) headers.Accept = accept;
    const send = async () => {
      const withAuth = this.token ? { ...headers, Authorization: `Bearer ${this.token}` } : headers;
      try {
        return await request(url, withAuth, this.timeoutMs);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RegistryUnreachableError(`GET ${url.href} failed: ${reason}`);
      }
    };
    let response = await send();
    if (response.status === 401 && !this.token) {
      const challenge = parseChallenge(
        [response.headers["www-authenticate"]].flat().find((h) => h !== undefined),
      );
      if (challenge) {
        this.token = await this.fetchToken(challenge);
        response = await send();
      }
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryUnreachableError(
        `${url.href} answered ${response.status}: the registry wants credentials, and verify-image reads anonymously`,
      );
    }
    if (response.status >= 500) {
      throw new RegistryUnreachableError(`${url.href} answered ${response.status}`);
    }
    return response;
  }

  private async fetchToken(challenge: Record<string, string>): Promise<string> {
    let url: URL;
    try {
      url = new URL(challenge.realm);
    } catch {
      throw new RegistryUnreachableError(
        `the registry's token realm ${challenge.realm} is not a URL`,
      );
    }
    if (challenge.service) url.searchParams.set("service", challenge.service);
    url.searchParams.set("scope", challenge.scope ?? `repository:${this.path}:pull`);
    let response: RegistryResponse;
    try {
      response = await request(url, {}, this.timeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RegistryUnreachableError(`GET ${url.href} (registry token) failed: ${reason}`);
    }
    let body: unknown = {};
    if (response.status === 200) {
      try {
        body = JSON.parse(response.body.toString("utf8"));
      } catch {
        throw new RegistryUnreachableError(`${url.href} answered a token that is not JSON`);
      }
    }
    const token =
      typeof body === "object" && body !== null
        ? ((body as { token?: unknown; access_token?: unknown }).token ??
          (body as { access_token?: unknown }).access_token)
        : undefined;
    if (typeof token !== "string") {
      throw new RegistryUnreachableError(
        `${url.href} answered ${response.status} without an anonymous token`,
      );
    }
    return token;
  }
}
