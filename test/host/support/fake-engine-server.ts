import { mkdtempSync, rmSync } from "node:fs";
import { HARDENED_INFO } from "./hardened-info";
import http from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeInspect } from "./fake-engine";

/**
 * A fake Docker Engine API on a unix socket, so the real client (dockerode) and the CLI run end
 * to end without an engine: `DOCKER_HOST=unix://<socket>`. It can vanish part-way (after N
 * inspections it closes every connection and stops listening), as a crashed dockerd does.
 */
export interface FakeEngineServer {
  readonly socketPath: string;
  readonly dockerHost: string;
  /** Inspect requests answered so far. */
  inspections(): number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** How many containers to list (named hd-fake-000, ...). */
  readonly containers: number;
  /** Stop answering (and listening) once this many inspections were answered. */
  readonly vanishAfterInspections?: number;
}

export async function startFakeEngineServer(options: FakeServerOptions): Promise<FakeEngineServer> {
  const dir = mkdtempSync(join(tmpdir(), "hd-host-fake-engine-"));
  const socketPath = join(dir, "docker.sock");
  const names = Array.from(
    { length: options.containers },
    (_, i) => `hd-fake-${String(i).padStart(3, "0")}`,
  );
  const idOf = (i: number) => i.toString(16).padStart(64, "0");
  const sockets = new Set<Socket>();
  let inspections = 0;
  let vanished = false;

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://engine");
    const path = url.pathname.replace(/^\/v[\d.]+/, "");
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (path === "/_ping") return void response.end("OK");
    if (path === "/info") return json(200, HARDENED_INFO);
    // An engine with no volumes, no user-defined networks, and not a swarm manager.
    if (path === "/volumes") return json(200, { Volumes: [], Warnings: null });
    if (path === "/networks") return json(200, []);
    if (path === "/services") {
      return json(503, { message: "This node is not a swarm manager." });
    }
    if (path === "/containers/json") {
      return json(
        200,
        names.map((name, i) => ({
          Id: idOf(i),
          Names: [`/${name}`],
          Image: "busybox:latest",
          ImageID: `sha256:${"cd".repeat(32)}`,
          State: "running",
          Created: 1_767_225_600,
          Labels: {},
        })),
      );
    }
    const match = /^\/containers\/([0-9a-f]{64})\/(json|top)$/.exec(path);
    const index = match ? Number.parseInt(match[1] as string, 16) : -1;
    if (!match || index >= names.length) return json(404, { message: "No such container" });
    if (match[2] === "top") {
      return json(200, {
        Titles: ["UID", "PID", "CMD"],
        Processes: [["65534", "1", "sleep 3600"]],
      });
    }
    inspections += 1;
    json(200, fakeInspect({ name: names[index] as string, image: "busybox:latest" }, idOf(index)));
    if (
      options.vanishAfterInspections !== undefined &&
      inspections >= options.vanishAfterInspections &&
      !vanished
    ) {
      vanished = true;
      server.close();
      setImmediate(() => {
        for (const socket of sockets) socket.destroy();
      });
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (vanished) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    inspections: () => inspections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
