import fc from "fast-check";
import { cleanText, parseDeployedAt, readAuditLabels } from "../../lib/host/label-values";
import { parseWithinDays } from "../../lib/host/duration";
import { hasControlCharacters } from "./support/control-characters";

describe("reading our labels from a live container", () => {
  it("reads owner, purpose, dates and relaxations with their reasons and rules", () => {
    const values = readAuditLabels({
      "io.hardened-docker.owner": " payments-team ",
      "io.hardened-docker.purpose": "public REST API",
      "io.hardened-docker.expires": "2026-06-30",
      "io.hardened-docker.deployed-by": "ci-bot",
      "io.hardened-docker.deployed-at": "2026-03-01T10:00:00Z",
      "io.hardened-docker.relaxation.privilegedPorts": "the proxy only forwards to port 80",
      "io.hardened-docker.relaxation.privilegedPorts.rules": "CIS-5.8",
      "io.hardened-docker.relaxation.privilegedPorts.detail": "80",
    });
    expect(values).toMatchObject({
      owner: "payments-team",
      purpose: "public REST API",
      expires: "2026-06-30",
      deployedBy: "ci-bot",
      deployedAt: "2026-03-01T10:00:00Z",
      missing: [],
      problems: [],
      relaxations: [
        {
          kind: "privilegedPorts",
          reason: "the proxy only forwards to port 80",
          rules: ["CIS-5.8"],
          names: ["80"],
          valid: true,
        },
      ],
    });
    expect(values.expiresOn?.toISOString()).toBe("2026-06-30T00:00:00.000Z");
  });

  it("turns garbage into problems: bad dates, huge strings, escapes, reasonless relaxations", () => {
    const values = readAuditLabels({
      "io.hardened-docker.owner": "o".repeat(100_000),
      "io.hardened-docker.purpose": "line one\nline two \u001b[31mred",
      "io.hardened-docker.expires": "tomorrow",
      "io.hardened-docker.deployed-at": "2026-13-45T99:99",
      "io.hardened-docker.relaxation.runAsRoot": "",
    });
    expect(values.owner).toHaveLength(1024);
    expect(values.purpose).toBe("line one line two  [31mred");
    expect(values.expiresOn).toBeUndefined();
    expect(values.problems).toEqual([
      "io.hardened-docker.owner is 100000 characters long (shown cut to 1024)",
      "io.hardened-docker.purpose holds control characters (shown as spaces)",
      'io.hardened-docker.expires is "tomorrow", not a date written YYYY-MM-DD',
      'io.hardened-docker.deployed-at is "2026-13-45T99:99", not an ISO 8601 date or date-time',
      "relaxation runAsRoot has no reason",
      "relaxation runAsRoot names no values (no io.hardened-docker.relaxation.runAsRoot.detail label), so it waives nothing",
    ]);
  });

  it("never throws and never returns control characters, whatever the labels hold", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(
              "io.hardened-docker.owner",
              "io.hardened-docker.expires",
              "io.hardened-docker.deployed-at",
              "io.hardened-docker.relaxation.x",
              "io.hardened-docker.relaxation.x.rules",
            ),
            fc.string(),
          ),
          fc.string({ unit: "binary", maxLength: 300 }),
        ),
        (labels) => {
          const values = readAuditLabels(labels);
          const texts = [values.owner, values.expires, values.deployedAt, ...values.problems];
          for (const text of texts) {
            if (text !== undefined) {
              expect(hasControlCharacters(text) || text.includes("\n")).toBe(false);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("cuts by characters, not UTF-16 units, and marks the cut", () => {
    expect(cleanText("😀".repeat(10), 4)).toEqual({
      text: "😀😀😀…",
      length: 10,
      truncated: true,
      hadControlCharacters: false,
    });
  });

  it("parses deployed-at as a date or an ISO date-time only", () => {
    expect(parseDeployedAt("2026-03-01")?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(parseDeployedAt("2026-03-01T10:00:00+02:00")?.toISOString()).toBe(
      "2026-03-01T08:00:00.000Z",
    );
    for (const bad of ["yesterday", "2026-02-30", "1709286000", "2026-03-01T25:00"]) {
      expect(parseDeployedAt(bad)).toBeUndefined();
    }
  });
});

describe("--within", () => {
  it("takes days and weeks", () => {
    expect(parseWithinDays("30d")).toBe(30);
    expect(parseWithinDays("6w")).toBe(42);
    expect(parseWithinDays("0d")).toBe(0);
  });

  it.each(["30", "1m", "-1d", "d", "99999d", "1.5d", "30 days"])("refuses %j", (text) => {
    expect(() => parseWithinDays(text)).toThrow(/--within/);
  });
});
