import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DeploymentError } from "../../lib/runtime/errors";
import {
  MANIFEST_ACCEPT,
  manifestUrl,
  resolveRegistryDigest,
} from "../../lib/runtime/registry-digest";

describe("manifestUrl", () => {
  it("uses http for loopback registries and https elsewhere", () => {
    expect(manifestUrl("127.0.0.1:5000/hd/web:1.0")).toBe(
      "http://127.0.0.1:5000/v2/hd/web/manifests/1.0",
    );
    expect(manifestUrl("localhost:5000/web")).toBe("http://localhost:5000/v2/web/manifests/latest");
    expect(manifestUrl("registry.example.com/payments/api:2")).toBe(
      "https://registry.example.com/v2/payments/api/manifests/2",
    );
    expect(manifestUrl("nginx:1.27")).toBe(
      "https://registry-1.docker.io/v2/library/nginx/manifests/1.27",
    );
  });

  it("honours an explicit scheme", () => {
    expect(manifestUrl("registry.internal:5000/a:b", "http")).toBe(
      "http://registry.internal:5000/v2/a/manifests/b",
    );
  });
});

describe("resolveRegistryDigest against a registry double", () => {
  const digest = "sha256:" + "ef".repeat(32);
  const body = '{"schemaVersion":2}';
  let server: http.Server;
  let port: number;
  const seen: { url?: string; accept?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, accept: req.headers.accept });
      if (req.url === "/v2/hd/web/manifests/1.0") {
        res.writeHead(200, { "Docker-Content-Digest": digest, "Content-Type": "application/json" });
        res.end(body);
      } else if (req.url === "/v2/hd/noheader/manifests/1.0") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(body);
      } else if (req.url === "/v2/hd/private/manifests/1.0") {
        res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="x"' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("reads Docker-Content-Digest, asking for every manifest type", async () => {
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/web:1.0`)).resolves.toBe(digest);
    const request = seen.find((s) => s.url === "/v2/hd/web/manifests/1.0");
    expect(request?.accept).toBe(MANIFEST_ACCEPT);
    for (const type of [
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.index.v1+json",
    ]) {
      expect(request?.accept).toContain(type);
    }
  });

  it("falls back to the sha256 of the manifest bytes without the header", async () => {
    const expected = "sha256:" + createHash("sha256").update(body).digest("hex");
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/noheader:1.0`)).resolves.toBe(
      expected,
    );
  });

  it("returns the digest of an already pinned name without asking", async () => {
    const before = seen.length;
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/web@${digest}`)).resolves.toBe(digest);
    expect(seen).toHaveLength(before);
  });

  it("fails clearly on an unknown tag and on a registry that wants credentials", async () => {
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/web:9.9`)).rejects.toThrow(
      /no such tag/,
    );
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/private:1.0`)).rejects.toThrow(
      /authentication required/,
    );
    await expect(resolveRegistryDigest(`127.0.0.1:${port}/hd/private:1.0`)).rejects.toBeInstanceOf(
      DeploymentError,
    );
  });

  it("fails clearly when nothing listens", async () => {
    await expect(resolveRegistryDigest("127.0.0.1:1/hd/web:1.0")).rejects.toThrow(
      /cannot resolve 127\.0\.0\.1:1\/hd\/web:1\.0 to a digest: GET http:\/\/127\.0\.0\.1:1\/v2\/hd\/web\/manifests\/1\.0 failed/,
    );
  });
});
