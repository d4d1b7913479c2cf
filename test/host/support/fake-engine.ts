import { EngineClient, EngineContainer } from "../../../lib/host/engine-client";
import { HARDENED_INFO } from "./hardened-info";
import { compliantInspect, InspectJson } from "../../policy/rules/support/inspect-fixtures";

/**
 * A dockerode-like fake of the Engine API calls the host commands make. It records what was
 * called (and the most calls in flight at once) and can misbehave on purpose: a container removed
 * between list and inspect, an engine that goes away after N calls, garbage answers.
 */

/** One container of the fake engine. */
export interface FakeContainer {
  readonly name: string;
  readonly id?: string;
  readonly running?: boolean;
  readonly labels?: Record<string, unknown>;
  readonly image?: string;
  /** Changes to the inspect JSON (shallow per top-level key, HostConfig/Config merged). */
  readonly inspect?: InspectJson;
  /** `top` rows as [UID, PID, CMD]. */
  readonly processes?: readonly string[];
  /** The engine answers 404 to the inspect: removed between list and inspect. */
  readonly removedBeforeInspect?: boolean;
  /** The engine answers 409 to top: stopped between inspect and top. */
  readonly stoppedBeforeTop?: boolean;
  /** The engine answers 500 to the inspect. */
  readonly inspectFails?: boolean;
  /** A list entry replacing the generated one (garbage tests). */
  readonly listEntry?: unknown;
}

export interface FakeEngineOptions {
  /** After this many inspect/top calls, every call fails as if the socket vanished. */
  readonly goneAfterCalls?: number;
  /** `ping` fails with this error. */
  readonly pingError?: unknown;
  /** The `/info` answer. @default HARDENED_INFO (a hardened daemon: its daemon rules pass) */
  readonly info?: unknown;
  /** Simulated time per call, in ms. @default 1 */
  readonly delayMs?: number;
}

/** The error dockerode gives for an HTTP status. */
export function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) - ${message}`), {
    statusCode,
    json: { message },
  });
}

/** The error a vanished unix socket gives. */
export function socketError(code = "ECONNREFUSED"): Error {
  return Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function idOf(c: FakeContainer, index: number): string {
  return c.id ?? index.toString(16).padStart(4, "0").repeat(16);
}

/** Inspect JSON for a fake container: the compliant fixture, renamed, relabelled, patched. */
export function fakeInspect(c: FakeContainer, id: string): InspectJson {
  const base = compliantInspect();
  const config = { ...(base.Config as InspectJson) };
  const host = { ...(base.HostConfig as InspectJson) };
  if (c.labels !== undefined) config.Labels = c.labels;
  if (c.image !== undefined) config.Image = c.image;
  const patch = c.inspect ?? {};
  return {
    ...base,
    Id: id,
    Name: `/${c.name}`,
    State: { Status: c.running === false ? "exited" : "running", Running: c.running !== false },
    ...patch,
    Config: { ...config, ...((patch.Config as InspectJson | undefined) ?? {}) },
    HostConfig: { ...host, ...((patch.HostConfig as InspectJson | undefined) ?? {}) },
  };
}

/** The fake engine. */
export class FakeEngine implements EngineClient {
  readonly calls = { ping: 0, info: 0, list: 0, inspect: 0, top: 0 };
  /** The most inspect/top calls that were in flight at the same time. */
  maxInFlight = 0;
  lastListOptions: unknown;
  private inFlight = 0;

  constructor(
    readonly containers: readonly FakeContainer[],
    readonly options: FakeEngineOptions = {},
  ) {}

  private get gone(): boolean {
    const limit = this.options.goneAfterCalls;
    return limit !== undefined && this.calls.inspect + this.calls.top >= limit;
  }

  async ping(): Promise<unknown> {
    this.calls.ping += 1;
    if (this.options.pingError !== undefined) throw this.options.pingError;
    return "OK";
  }

  async info(): Promise<unknown> {
    this.calls.info += 1;
    return this.options.info ?? HARDENED_INFO;
  }

  async listContainers(options: {
    all?: boolean;
    filters?: Record<string, string[]>;
  }): Promise<readonly unknown[]> {
    this.calls.list += 1;
    this.lastListOptions = options;
    return this.containers
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => options.all === true || c.running !== false)
      .map(({ c, i }) =>
        c.listEntry !== undefined
          ? c.listEntry
          : {
              Id: idOf(c, i),
              Names: [`/${c.name}`],
              Image: c.image ?? "registry.example.com/payments/api@sha256:" + "ab".repeat(32),
              ImageID: "sha256:" + "cd".repeat(32),
              State: c.running === false ? "exited" : "running",
              Created: 1_767_225_600,
              Labels: c.labels ?? (compliantInspect().Config as InspectJson).Labels,
            },
      );
  }

  getContainer(id: string): EngineContainer {
    const index = this.containers.findIndex((c, i) => idOf(c, i) === id);
    const container = this.containers[index];
    const call = async <T>(kind: "inspect" | "top", answer: () => T): Promise<T> => {
      if (this.gone) {
        this.calls[kind] += 1;
        throw socketError();
      }
      this.calls[kind] += 1;
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        await sleep(this.options.delayMs ?? 1);
        return answer();
      } finally {
        this.inFlight -= 1;
      }
    };
    return {
      inspect: () =>
        call("inspect", () => {
          if (container === undefined || container.removedBeforeInspect) {
            throw httpError(404, `No such container: ${id}`);
          }
          if (container.inspectFails) throw httpError(500, "devicemapper: something broke");
          return fakeInspect(container, id);
        }),
      top: () =>
        call("top", () => {
          if (container === undefined) throw httpError(404, `No such container: ${id}`);
          if (container.stoppedBeforeTop) {
            throw httpError(409, `Container ${id} is not running`);
          }
          return {
            Titles: ["UID", "PID", "CMD"],
            Processes: (container.processes ?? ["sleep 3600"]).map((cmd, i) => [
              "65534",
              String(1000 + i),
              cmd,
            ]),
          };
        }),
    };
  }
}
