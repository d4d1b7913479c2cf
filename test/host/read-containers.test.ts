import {
  commandLines,
  listContainerSummaries,
  readContainers,
} from "../../lib/host/read-containers";
import { isUnknown } from "../../lib/policy/unknown";
import { FakeContainer, FakeEngine } from "./support/fake-engine";

const ADDRESS = "unix:///fake.sock";

async function readAll(engine: FakeEngine, concurrency = 4) {
  const summaries = await listContainerSummaries(engine, {
    all: true,
    filters: {},
    address: ADDRESS,
  });
  return readContainers(engine, summaries, { address: ADDRESS, concurrency });
}

function many(n: number, extra: Partial<FakeContainer> = {}): FakeContainer[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `c${String(i).padStart(3, "0")}`,
    ...extra,
  }));
}

describe("reading the containers of an engine", () => {
  it("inspects each listed container exactly once, with bounded concurrency", async () => {
    const engine = new FakeEngine(many(60), { delayMs: 2 });
    const { reads, engineLost } = await readAll(engine, 6);
    expect(engineLost).toBeUndefined();
    expect(reads.map((r) => r.kind)).toEqual(Array(60).fill("inspected"));
    expect(engine.calls.inspect).toBe(60);
    expect(engine.calls.list).toBe(1);
    expect(engine.maxInFlight).toBeLessThanOrEqual(6);
    expect(engine.maxInFlight).toBeGreaterThan(1);
  });

  it("reads process lists of running containers only, from the CMD column", async () => {
    const engine = new FakeEngine([
      { name: "up", processes: ["/usr/sbin/sshd -D", "sleep 1"] },
      { name: "down", running: false },
    ]);
    const { reads } = await readAll(engine);
    expect(engine.calls.top).toBe(1);
    const up = reads.find((r) => r.summary.name === "up");
    expect(up?.kind === "inspected" && up.processes).toEqual(["/usr/sbin/sshd -D", "sleep 1"]);
    const down = reads.find((r) => r.summary.name === "down");
    expect(down?.kind === "inspected" && down.processes).toBeUndefined();
  });

  it("reports a container removed between list and inspect as gone, and still reads the rest", async () => {
    const engine = new FakeEngine([
      { name: "a" },
      { name: "vanished", removedBeforeInspect: true },
      { name: "b" },
    ]);
    const { reads } = await readAll(engine);
    expect(reads.map((r) => [r.summary.name, r.kind])).toEqual([
      ["a", "inspected"],
      ["vanished", "gone"],
      ["b", "inspected"],
    ]);
    const gone = reads[1];
    expect(gone.kind !== "inspected" && gone.reason).toMatch(
      /removed between the container list and its inspection \(404 No such container/,
    );
  });

  it("gives an unknown process list when the container stops between inspect and top", async () => {
    const engine = new FakeEngine([{ name: "stopping", stoppedBeforeTop: true }]);
    const { reads } = await readAll(engine);
    const read = reads[0];
    expect(read.kind).toBe("inspected");
    if (read.kind === "inspected" && isUnknown(read.processes)) {
      expect(read.processes.explanation).toMatch(/stopped or was removed before its process list/);
    } else {
      throw new Error("expected an unknown process list");
    }
  });

  it("marks an engine refusal as failed, not gone", async () => {
    const engine = new FakeEngine([{ name: "broken", inspectFails: true }]);
    const { reads } = await readAll(engine);
    expect(reads[0].kind).toBe("failed");
    expect(reads[0].kind !== "inspected" && reads[0].reason).toMatch(/500 devicemapper/);
  });

  it("stops when the engine disappears mid-audit and accounts for every container not read", async () => {
    const engine = new FakeEngine(many(100), { goneAfterCalls: 30 });
    const { reads, engineLost } = await readAll(engine, 4);
    expect(reads).toHaveLength(100);
    const kinds = reads.map((r) => r.kind);
    expect(kinds.filter((k) => k === "inspected").length).toBeGreaterThan(5);
    expect(kinds.filter((k) => k === "not-read").length).toBeGreaterThan(50);
    expect(new Set(kinds)).toEqual(new Set(["inspected", "not-read"]));
    expect(engineLost?.message).toMatch(
      /^the Docker Engine at unix:\/\/\/fake\.sock stopped answering while container:\/c\d+ was read \(connection refused .*\(ECONNREFUSED\)\); \d+ of 100 containers were read$/,
    );
    // No long tail of failing calls: at most one per worker after the engine went away.
    expect(engine.calls.inspect + engine.calls.top).toBeLessThanOrEqual(30 + 4);
  });

  it("keeps garbage list entries as failed reads instead of dropping them", async () => {
    const engine = new FakeEngine([
      { name: "fine" },
      { name: "x", listEntry: "not an object" },
      { name: "y", listEntry: { Names: ["/no-id"], Labels: { a: 5 } } },
    ]);
    const { reads } = await readAll(engine);
    expect(reads.map((r) => [r.summary.resource, r.kind])).toEqual([
      ["container:/fine", "inspected"],
      ["container:(list entry 1)", "failed"],
      ["container:/no-id", "failed"],
    ]);
    expect(reads[2].summary.problems).toEqual([
      "the list entry has no container ID (Id is missing)",
      'label "a" is the number 5, not text',
    ]);
  });

  it("refuses a list that is not a list with a one-line engine error", async () => {
    const engine = new FakeEngine([]);
    engine.listContainers = async () => ({ not: "a list" }) as never;
    await expect(
      listContainerSummaries(engine, { all: false, filters: {}, address: ADDRESS }),
    ).rejects.toThrow(/answered the container list with something that is not a list/);
  });
});

describe("commandLines", () => {
  it("takes the CMD or COMMAND column, so a user named sshd is not a process named sshd", () => {
    expect(
      commandLines({ Titles: ["UID", "PID", "CMD"], Processes: [["sshd", "1", "sleep 5"]] }),
    ).toEqual(["sleep 5"]);
    expect(commandLines({ Titles: ["PID", "COMMAND"], Processes: [["1", "sshd: root"]] })).toEqual([
      "sshd: root",
    ]);
    expect(isUnknown(commandLines({ Processes: "x" }))).toBe(true);
  });
});
