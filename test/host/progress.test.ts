import { createProgress, PROGRESS_THRESHOLD } from "../../lib/cli/progress";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (text: string) => writes.push(text) };
}

describe("the progress line", () => {
  it("is drawn on a terminal above the threshold, redrawn in place, and erased at the end", () => {
    const terminal = sink(true);
    let clock = 0;
    const progress = createProgress(terminal, 50, {
      label: "inspecting containers",
      now: () => clock,
      intervalMs: 100,
    });
    for (let i = 0; i < 50; i++) {
      clock += 10;
      progress.tick();
    }
    progress.done();
    expect(terminal.writes.length).toBeGreaterThan(2);
    expect(terminal.writes.length).toBeLessThan(10);
    expect(terminal.writes.every((w) => w.startsWith("\r"))).toBe(true);
    expect(terminal.writes).toContain("\rinspecting containers 50/50");
    expect(terminal.writes[terminal.writes.length - 1]).toBe("\r\u001b[2K");
  });

  it("is silent when not a terminal, or for a few dozen containers or fewer", () => {
    for (const [isTTY, total] of [
      [false, 500],
      [true, PROGRESS_THRESHOLD],
    ] as const) {
      const out = sink(isTTY);
      const progress = createProgress(out, total, { label: "x" });
      for (let i = 0; i < total; i++) progress.tick();
      progress.done();
      expect(out.writes).toEqual([]);
    }
  });
});
