import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { DaemonEndpoint } from "../policy/daemon-model";
import { isRecord } from "../validation/is-record";
import { ENGINE_CALL_TIMEOUT_MS, EngineClient, engineAddress } from "./engine-client";
import { endpointOf } from "./read-daemon";

/**
 * The engines a host command talks to: `--docker-host <url>` (repeatable: `unix://`, `tcp://`
 * with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the docker CLI reads them, `ssh://` through
 * dockerode's ssh support, which runs `docker system dial-stdio` on the remote), `--context
 * <name>` (a Docker CLI context under ~/.docker/contexts), or, with neither, DOCKER_HOST or the
 * default socket. Each target knows how to connect and what the daemon rules need to know of
 * the endpoint (TLS or not).
 */

/** One engine to audit. */
export interface EngineTarget {
  /** How reports name it: the URL as given, or `context <name>`. */
  readonly name: string;
  /** The URL dialled. */
  readonly address: string;
  readonly endpoint: DaemonEndpoint;
  /** The client options dockerode is built with. */
  readonly clientOptions: Docker.DockerOptions;
}

/** A `--docker-host` or `--context` the client cannot use (one line, names the value). */
export class EngineTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineTargetError";
    this.stack = `${this.name}: ${message}`;
  }
}

interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

function readTls(dir: string, what: string): TlsMaterial {
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(join(dir, file), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new EngineTargetError(
        `${what}: cannot read ${join(dir, file)}: ${(error as Error).message}`,
      );
    }
  };
  const material = { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") };
  return Object.fromEntries(Object.entries(material).filter(([, v]) => v !== undefined));
}

/**
 * The target for one URL. `tls.verify`: the client checks the server's certificate against
 * `ca` (DOCKER_TLS_VERIFY=1, or a context without SkipTLSVerify).
 */
export function targetFromUrl(
  url: string,
  options: {
    readonly name?: string;
    readonly tls?: {
      readonly enabled: boolean;
      readonly verify: boolean;
      readonly material: TlsMaterial;
    };
  } = {},
): EngineTarget {
  const name = options.name ?? url;
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  const base = { timeout: ENGINE_CALL_TIMEOUT_MS };
  if (scheme === "unix" || scheme === "npipe") {
    const socketPath = url.slice(scheme.length + 3);
    if (socketPath === "")
      throw new EngineTargetError(
        `${name}: give the socket's path, e.g. unix:///var/run/docker.sock`,
      );
    return {
      name,
      address: url,
      endpoint: endpointOf(url),
      clientOptions: { ...base, socketPath },
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EngineTargetError(
      `${name}: not an engine URL; write unix:///path/docker.sock, tcp://host:2376 or ssh://user@host`,
    );
  }
  if (scheme === "ssh") {
    return {
      name,
      address: url,
      endpoint: endpointOf(url),
      clientOptions: {
        ...base,
        protocol: "ssh",
        host: parsed.hostname,
        port: parsed.port === "" ? 22 : Number(parsed.port),
        ...(parsed.username !== "" ? { username: decodeURIComponent(parsed.username) } : {}),
        sshOptions: {
          ...(process.env.SSH_AUTH_SOCK !== undefined ? { agent: process.env.SSH_AUTH_SOCK } : {}),
        },
      } as Docker.DockerOptions,
    };
  }
  if (scheme === "tcp" || scheme === "http" || scheme === "https") {
    const tls = options.tls ?? {
      enabled: scheme === "https",
      verify: scheme === "https",
      material: {},
    };
    if (parsed.port === "") {
      throw new EngineTargetError(`${name}: give the port, e.g. tcp://${parsed.hostname}:2376`);
    }
    return {
      name,
      address: url,
      endpoint: endpointOf(url, { tls: tls.enabled, verify: tls.enabled && tls.verify }),
      clientOptions: {
        ...base,
        protocol: tls.enabled ? "https" : "http",
        host: parsed.hostname,
        port: Number(parsed.port),
        ...tls.material,
        ...(tls.enabled && !tls.verify ? { rejectUnauthorized: false } : {}),
      } as Docker.DockerOptions,
    };
  }
  throw new EngineTargetError(
    `${name}: unsupported scheme; use unix://, tcp:// (with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH for TLS) or ssh://`,
  );
}

/**
 * The target for a `--docker-host` URL, with TLS as the docker CLI takes it from the
 * environment: DOCKER_TLS_VERIFY=1 (TLS, server certificate verified) or DOCKER_TLS=1 (TLS, not
 * verified), the CA, certificate and key from DOCKER_CERT_PATH (default ~/.docker).
 */
export function targetFromDockerHost(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): EngineTarget {
  const verify =
    env.DOCKER_TLS_VERIFY !== undefined &&
    env.DOCKER_TLS_VERIFY !== "" &&
    env.DOCKER_TLS_VERIFY !== "0";
  const enabled =
    verify || (env.DOCKER_TLS !== undefined && env.DOCKER_TLS !== "" && env.DOCKER_TLS !== "0");
  if (!/^tcp:\/\//i.test(url) || !enabled) return targetFromUrl(url);
  const certPath = env.DOCKER_CERT_PATH ?? join(homedir(), ".docker");
  return targetFromUrl(url, {
    tls: { enabled, verify, material: readTls(certPath, `${url} (DOCKER_CERT_PATH ${certPath})`) },
  });
}

/** The engine of DOCKER_HOST (or the default socket): what the commands use without options. */
export function defaultTarget(env: NodeJS.ProcessEnv = process.env): EngineTarget {
  return targetFromDockerHost(engineAddress(env), env);
}

/**
 * The target for a Docker CLI context: `~/.docker/contexts/meta/<id>/meta.json` names it and its
 * docker endpoint (`Host`, `SkipTLSVerify`); its TLS material is in
 * `~/.docker/contexts/tls/<id>/docker/`. `default` is DOCKER_HOST or the default socket.
 */
export function targetFromContext(
  context: string,
  dockerConfigDir: string = process.env.DOCKER_CONFIG ?? join(homedir(), ".docker"),
): EngineTarget {
  if (context === "default") return { ...defaultTarget(), name: "context default" };
  const metaRoot = join(dockerConfigDir, "contexts", "meta");
  let ids: string[];
  try {
    ids = readdirSync(metaRoot);
  } catch {
    throw new EngineTargetError(
      `--context ${JSON.stringify(context)}: no contexts under ${metaRoot}`,
    );
  }
  for (const id of ids) {
    let meta: unknown;
    try {
      meta = JSON.parse(readFileSync(join(metaRoot, id, "meta.json"), "utf8"));
    } catch {
      continue;
    }
    if (!isRecord(meta) || meta.Name !== context) continue;
    const endpoints = isRecord(meta.Endpoints) ? meta.Endpoints : {};
    const docker = isRecord(endpoints.docker) ? endpoints.docker : {};
    if (typeof docker.Host !== "string" || docker.Host === "") {
      throw new EngineTargetError(
        `--context ${JSON.stringify(context)}: its meta.json names no docker Host`,
      );
    }
    const material = readTls(
      join(dockerConfigDir, "contexts", "tls", id, "docker"),
      `--context ${context}`,
    );
    const hasTls = material.ca !== undefined || material.cert !== undefined;
    return targetFromUrl(docker.Host, {
      name: `context ${context}`,
      tls: { enabled: hasTls, verify: hasTls && docker.SkipTLSVerify !== true, material },
    });
  }
  throw new EngineTargetError(
    `--context ${JSON.stringify(context)}: no such context under ${metaRoot}`,
  );
}

/** A dockerode client for a target (dockerode is loaded here, not at import: see connectEngine). */
export function connectTarget(target: EngineTarget): EngineClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Dockerode = require("dockerode") as typeof Docker;
  return new Dockerode(target.clientOptions);
}
