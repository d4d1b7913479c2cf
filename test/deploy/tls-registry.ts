/**
 * A second loopback registry, with TLS, for the provider's `docker_registry_image` data source
 * (what `ContainerImage.fromRegistryTag` synthesizes). At v3.6.2 that data source always speaks
 * HTTPS (`"https://" + registry` in internal/provider/data_source_docker_registry_image.go), while
 * the test registry on 127.0.0.1:5000 is plain HTTP.
 *
 * The certificate is self-signed for IP 127.0.0.1 and made for this run (openssl). It is trusted,
 * not skipped: the provider is a Go program, which reads its roots from SSL_CERT_FILE, so the run
 * hands Terraform a bundle of the system's roots plus this certificate. The Docker Engine pulls
 * from it as from any registry on 127.0.0.0/8, which it treats as insecure (no verification).
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";

export const TLS_REGISTRY = "127.0.0.1:5443";

/** Debian's bundle of trusted roots, kept in the bundle so other TLS still verifies. */
const SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";

export interface TlsRegistry {
  readonly address: string;
  /** System roots plus the registry's certificate: the value for SSL_CERT_FILE. */
  readonly caBundle: string;
  stop(): void;
}

function answers(ca: Buffer, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      `https://${TLS_REGISTRY}/v2/`,
      { ca, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200 || response.statusCode === 401);
      },
    );
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** Generates the certificate, starts `docker-registry serve` on 127.0.0.1:5443 and waits for it. */
export async function startTlsRegistry(workDir: string): Promise<TlsRegistry> {
  const dir = path.join(workDir, "tls-registry");
  mkdirSync(path.join(dir, "data"), { recursive: true });
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      "/CN=hardened-docker e2e registry",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "pipe" },
  );
  const caBundle = path.join(dir, "ca-bundle.pem");
  const roots = existsSync(SYSTEM_ROOTS) ? readFileSync(SYSTEM_ROOTS, "utf8") : "";
  writeFileSync(caBundle, `${roots}\n${readFileSync(cert, "utf8")}`);
  const config = path.join(dir, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(dir, "data")}`,
      "http:",
      `  addr: ${TLS_REGISTRY}`,
      "  tls:",
      `    certificate: ${cert}`,
      `    key: ${key}`,
      "",
    ].join("\n"),
  );
  const ca = readFileSync(cert);
  if (await answers(ca)) {
    throw new Error(`something already listens on ${TLS_REGISTRY}: stop it first`);
  }
  const child: ChildProcess = spawn("docker-registry", ["serve", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const stop = () => {
    if (child.exitCode === null) child.kill();
  };
  for (let i = 0; i < 60; i++) {
    if (await answers(ca)) return { address: TLS_REGISTRY, caBundle, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(
    `the TLS registry did not answer on https://${TLS_REGISTRY}/v2/: ${stderr.trim()}`,
  );
}
