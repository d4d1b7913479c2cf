import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EngineTargetError,
  targetFromContext,
  targetFromDockerHost,
  targetFromUrl,
} from "../../lib/host/engine-targets";

/** How --docker-host URLs and Docker CLI contexts become clients and endpoint facts. */

describe("engine targets", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hd-targets-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("dials a unix socket by its path", () => {
    const t = targetFromUrl("unix:///run/x/docker.sock");
    expect(t.clientOptions).toMatchObject({ socketPath: "/run/x/docker.sock" });
    expect(t.endpoint).toEqual({ address: "unix:///run/x/docker.sock", transport: "unix" });
  });

  it("speaks plain HTTP to tcp:// without DOCKER_TLS_VERIFY, and says so to CIS 2.7", () => {
    const t = targetFromDockerHost("tcp://10.1.2.3:2375", {});
    expect(t.clientOptions).toMatchObject({ protocol: "http", host: "10.1.2.3", port: 2375 });
    expect(t.endpoint).toMatchObject({ transport: "tcp", tls: false });
  });

  it("reads the CA, certificate and key from DOCKER_CERT_PATH with DOCKER_TLS_VERIFY=1", () => {
    for (const f of ["ca.pem", "cert.pem", "key.pem"]) writeFileSync(join(dir, f), `${f} body`);
    const t = targetFromDockerHost("tcp://10.1.2.3:2376", {
      DOCKER_TLS_VERIFY: "1",
      DOCKER_CERT_PATH: dir,
    });
    expect(t.clientOptions).toMatchObject({
      protocol: "https",
      ca: "ca.pem body",
      cert: "cert.pem body",
      key: "key.pem body",
    });
    expect(t.endpoint).toMatchObject({ tls: true, tlsVerify: true });
  });

  it("goes through ssh with the user, host and port of an ssh:// URL", () => {
    const t = targetFromUrl("ssh://ops@build-7.lan:2222");
    expect(t.clientOptions).toMatchObject({
      protocol: "ssh",
      host: "build-7.lan",
      port: 2222,
      username: "ops",
    });
    expect(t.endpoint.transport).toBe("ssh");
  });

  it("refuses what it cannot dial, naming the value", () => {
    expect(() => targetFromUrl("ftp://x")).toThrow(EngineTargetError);
    expect(() => targetFromUrl("tcp://host-without-port")).toThrow(/give the port/);
  });

  it("reads a Docker CLI context, with its TLS material and SkipTLSVerify", () => {
    const id = createHash("sha256").update("prod").digest("hex");
    mkdirSync(join(dir, "contexts", "meta", id), { recursive: true });
    writeFileSync(
      join(dir, "contexts", "meta", id, "meta.json"),
      JSON.stringify({
        Name: "prod",
        Endpoints: { docker: { Host: "tcp://prod.lan:2376", SkipTLSVerify: true } },
      }),
    );
    mkdirSync(join(dir, "contexts", "tls", id, "docker"), { recursive: true });
    writeFileSync(join(dir, "contexts", "tls", id, "docker", "ca.pem"), "ca");
    const t = targetFromContext("prod", dir);
    expect(t.name).toBe("context prod");
    expect(t.clientOptions).toMatchObject({
      protocol: "https",
      ca: "ca",
      rejectUnauthorized: false,
    });
    expect(t.endpoint).toMatchObject({ tls: true, tlsVerify: false });
    expect(() => targetFromContext("staging", dir)).toThrow(/no such context/);
  });
});
