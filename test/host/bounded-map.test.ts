import { mapBounded } from "../../lib/host/bounded-map";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mapBounded", () => {
  it("keeps at most `limit` calls in flight and returns results in input order", async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    const results = await mapBounded(items, 5, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(n % 3);
      inFlight -= 1;
      return n * 2;
    });
    expect(results).toEqual(items.map((n) => n * 2));
    expect(most).toBe(5);
  });

  it("starts no new call after one throws, and rejects with the first error", async () => {
    const started: number[] = [];
    const run = mapBounded(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (n) => {
        started.push(n);
        await sleep(1);
        if (n === 5) throw new Error("engine gone");
        return n;
      },
    );
    await expect(run).rejects.toThrow("engine gone");
    expect(started.length).toBeLessThan(12);
  });

  it("handles an empty list and refuses a limit below 1", async () => {
    await expect(mapBounded([], 3, async () => 1)).resolves.toEqual([]);
    await expect(mapBounded([1], 0, async () => 1)).rejects.toThrow(/at least 1/);
  });
});
