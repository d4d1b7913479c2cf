import { classifyEngineError, engineUnavailable } from "../../lib/host/engine-errors";
import { httpError, socketError } from "./support/fake-engine";

describe("classifyEngineError", () => {
  it.each([
    ["ENOENT", /no socket at that path/],
    ["EACCES", /permission denied on the socket/],
    ["ECONNREFUSED", /connection refused/],
    ["ECONNRESET", /reset/],
  ])("treats a socket error %s as a lost connection, with a reason", (code, reason) => {
    const failure = classifyEngineError(socketError(code));
    expect(failure.kind).toBe("connection");
    expect(failure.message).toMatch(reason);
    expect(failure.message).toContain(code);
  });

  it("tells a 404 (removed container), a 409 (not running) and other answers apart", () => {
    expect(classifyEngineError(httpError(404, "No such container: x"))).toEqual({
      kind: "not-found",
      message: "404 No such container: x",
    });
    expect(classifyEngineError(httpError(409, "is not running")).kind).toBe("conflict");
    expect(classifyEngineError(httpError(500, "boom")).kind).toBe("other");
  });

  it("treats a dropped request (socket hang up) as a lost connection", () => {
    expect(classifyEngineError(new Error("socket hang up")).kind).toBe("connection");
  });

  it("never throws on odd values and keeps messages to one line", () => {
    for (const odd of [undefined, null, 42, "text\nmore", { message: 5 }, Symbol("s")]) {
      const failure = classifyEngineError(odd);
      expect(failure.message).not.toContain("\n");
    }
  });

  it("names the address in the unavailable-engine message", () => {
    const error = engineUnavailable("unix:///tmp/nope.sock", socketError("ENOENT"));
    expect(error.message).toBe(
      "cannot reach the Docker Engine at unix:///tmp/nope.sock: no socket at that path " +
        "(is dockerd running? is DOCKER_HOST right?) (ENOENT)",
    );
    expect(error.stack).not.toMatch(/\n\s+at /);
  });
});
