import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { parseImageReference } from "../policy/facts/image-reference";
import { DeploymentError, StackInputError } from "./errors";

/**
 * `data.docker_registry_image`: resolves `repo:tag` to the manifest digest the registry serves,
 * with the registry's HTTP API (`GET /v2/<repo>/manifests/<tag>`, header
 * `Docker-Content-Digest`), as the provider's data source does.
 */

/** Manifest types asked for: Docker v2, OCI manifest, Docker manifest list, OCI index. */
export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const DOCKER_HUB = "registry-1.docker.io";

export interface RegistryDigestOptions {
  /**
   * `http` or `https`.
   * @default "http" for a loopback registry (127.0.0.1, localhost, [::1]), else "https": plain
   * HTTP never leaves the machine.
   */
  readonly scheme?: "http" | "https";
  /** `insecure_skip_verify`: accept any TLS certificate. @default false */
  readonly insecureSkipVerify?: boolean;
  /** @default 15000 */
  readonly timeoutMs?: number;
}

/** Where the manifest of `name` is asked for. */
export function manifestUrl(name: string, scheme?: "http" | "https"): string {
  const parsed = parseImageReference(name);
  if (typeof parsed === "string") {
    throw new StackInputError(`data.docker_registry_image: name = "${name}": ${parsed}`);
  }
  const registry = parsed.registry ?? DOCKER_HUB;
  const path =
    parsed.registry || parsed.path.includes("/") ? parsed.path : `library/${parsed.path}`;
  const host = registry === "docker.io" ? DOCKER_HUB : registry;
  const hostname = host.replace(/:\d+$/, "");
  const chosen = scheme ?? (LOOPBACK_HOSTS.has(hostname) ? "http" : "https");
  return `${chosen}://${host}/v2/${path}/manifests/${parsed.tag ?? "latest"}`;
}

interface ManifestResponse {
  readonly status: number;
  readonly digestHeader?: string;
  readonly body: Buffer;
}

function get(url: string, options: RegistryDigestOptions): Promise<ManifestResponse> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "GET",
        headers: { Accept: MANIFEST_ACCEPT },
        timeout: options.timeoutMs ?? 15_000,
        ...(target.protocol === "https:"
          ? { rejectUnauthorized: !options.insecureSkipVerify }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const header = response.headers["docker-content-digest"];
          resolve({
            status: response.statusCode ?? 0,
            digestHeader: Array.isArray(header) ? header[0] : header,
            body: Buffer.concat(chunks),
          });
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end();
  });
}

/**
 * The `sha256:<hex>` digest of `name` (`registry/repo:tag`). A name that already carries a
 * digest resolves to that digest without a request.
 * @throws DeploymentError when the registry cannot be reached or does not know the tag.
 */
export async function resolveRegistryDigest(
  name: string,
  options: RegistryDigestOptions = {},
): Promise<string> {
  const parsed = parseImageReference(name);
  if (typeof parsed !== "string" && parsed.digest) return parsed.digest;
  const url = manifestUrl(name, options.scheme);
  let response: ManifestResponse;
  try {
    response = await get(url, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeploymentError(`cannot resolve ${name} to a digest: GET ${url} failed: ${reason}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new DeploymentError(
      `cannot resolve ${name} to a digest: ${url} answered ${response.status} (authentication required); the up harness sends no registry credentials: use a registry it can read anonymously, or pin the image by digest`,
    );
  }
  if (response.status === 404) {
    throw new DeploymentError(
      `cannot resolve ${name} to a digest: the registry has no such tag (${url} answered 404)`,
    );
  }
  if (response.status !== 200) {
    throw new DeploymentError(
      `cannot resolve ${name} to a digest: ${url} answered ${response.status}`,
    );
  }
  if (response.digestHeader && /^sha256:[a-f0-9]{64}$/.test(response.digestHeader)) {
    return response.digestHeader;
  }
  // No usable header: the digest of a manifest is the sha256 of its bytes.
  return `sha256:${createHash("sha256").update(response.body).digest("hex")}`;
}
