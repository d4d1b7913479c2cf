import { readContainerSummary } from "../../lib/host/container-summary";
import {
  buildInventory,
  inventoryReportSchema,
  renderInventoryTable,
} from "../../lib/host/inventory";
import { hasControlCharacters } from "./support/control-characters";

const NOW = new Date("2026-03-15T12:00:00Z");
const DIGEST_IMAGE = `127.0.0.1:5000/hd-host/busybox@sha256:${"ab".repeat(32)}`;

function summary(name: string, labels: Record<string, string>, image = DIGEST_IMAGE) {
  return readContainerSummary(
    {
      Id: `${name}-id`.padEnd(64, "0"),
      Names: [`/${name}`],
      Image: image,
      State: "running",
      Created: 1_767_225_600,
      Labels: labels,
    },
    0,
  );
}

const FULL = {
  "io.hardened-docker.owner": "web-team",
  "io.hardened-docker.purpose": "serves the pages",
  "io.hardened-docker.expires": "2026-09-30",
  "io.hardened-docker.deployed-by": "ci-bot",
};

describe("the inventory", () => {
  it("raises no flag for a labelled, pinned, far-from-expiry container", () => {
    const report = buildInventory([summary("web", FULL)], { now: NOW, withinDays: 30 });
    expect(report.containers[0]).toMatchObject({
      name: "web",
      imagePinned: true,
      owner: "web-team",
      deployedAt: "2026-01-01T00:00:00.000Z",
      deployedAtSource: "engine",
      daysLeft: 199,
      flags: [],
    });
    expect(report.summary.flagged).toBe(0);
    expect(() => inventoryReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
  });

  it("flags unlabelled, expired, expiring within the look-ahead, tags and garbage", () => {
    const report = buildInventory(
      [
        summary("bare", {}, "nginx:latest"),
        summary("old", { ...FULL, "io.hardened-docker.expires": "2026-03-14" }),
        summary("soon", { ...FULL, "io.hardened-docker.expires": "2026-04-01" }),
        summary("junk", { ...FULL, "io.hardened-docker.expires": "someday" }),
      ],
      { now: NOW, withinDays: 30 },
    );
    const flags = Object.fromEntries(report.containers.map((c) => [c.name, c.flags]));
    expect(flags).toEqual({
      bare: ["unlabelled", "unpinned-image"],
      junk: ["invalid-label"],
      old: ["expired"],
      soon: ["expiring"],
    });
    expect(report.summary).toEqual({
      containers: 4,
      flagged: 4,
      byFlag: {
        unlabelled: 1,
        expired: 1,
        expiring: 1,
        "unpinned-image": 1,
        "invalid-label": 1,
        "unsigned-image": 0,
      },
    });
    const old = report.containers.find((c) => c.name === "old");
    expect(old?.notes).toEqual(["expired on 2026-03-14 (1 days ago)"]);
    // The same container is not "expiring" with a shorter look-ahead.
    const short = buildInventory(
      [summary("soon", { ...FULL, "io.hardened-docker.expires": "2026-04-01" })],
      {
        now: NOW,
        withinDays: 7,
      },
    );
    expect(short.containers[0].flags).toEqual([]);
  });

  it("renders a table that a hostile label cannot break", () => {
    const report = buildInventory(
      [
        summary("web", { ...FULL, "io.hardened-docker.deployed-at": "2026-03-01" }),
        summary("evil", {
          "io.hardened-docker.owner": "a\nFAKE-ROW running x\u001b[2J",
          "io.hardened-docker.purpose": "p".repeat(5000),
          "io.hardened-docker.expires": "2026-06-30",
          "io.hardened-docker.relaxation.runAsRoot": "the vendor image needs root for now",
          "io.hardened-docker.relaxation.runAsRoot.rules": "CIS-4.1",
        }),
      ],
      { now: NOW, withinDays: 30 },
    );
    const table = renderInventoryTable(report);
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^NAME +STATE +IMAGE +OWNER +PURPOSE +DEPLOYED-BY +DEPLOYED-AT +EXPIRES +RELAXATIONS +FLAGS$/,
    );
    expect(hasControlCharacters(table)).toBe(false);
    const evil = lines.find((l) => l.startsWith("evil "));
    expect(evil).toContain("runAsRoot");
    expect(evil).toMatch(/invalid-label$/);
    expect(lines.filter((l) => l.startsWith("FAKE-ROW"))).toEqual([]);
    const web = lines.find((l) => l.startsWith("web "));
    expect(web).toContain("127.0.0.1:5000/hd-host/busybox@sha256:abababababab ");
    expect(web).toContain("2026-03-01 ");
    expect(lines[lines.length - 1]).toBe(
      "2 containers, 1 flagged (1 invalid-label); expiring = within 30 days of 2026-03-15; " +
        "* = no deployed-at label, the engine's creation time",
    );
    expect(lines.find((l) => l.startsWith("evil "))).toContain(" 2026-01-01* ");
  });
});
