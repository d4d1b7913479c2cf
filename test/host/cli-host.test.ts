import { engineAddress } from "../../lib/host/engine-client";
import { engineConnection } from "../../lib/cli/host-options";
import { EngineClient } from "../../lib/host/engine-client";
import { driftReportSchema } from "../../lib/host/drift";
import { inventoryReportSchema } from "../../lib/host/inventory";
import { run } from "../../lib/cli/main";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { hasStackTrace } from "../cli/cli-harness";
import { FakeContainer, FakeEngine, socketError } from "./support/fake-engine";
import { join } from "node:path";

/** The CLI in-process against a fake engine (engineConnection.connect replaced). */
const realConnect = engineConnection.connect;
let engine: EngineClient = new FakeEngine([]);
beforeAll(() => {
  engineConnection.connect = () => engine;
});
afterAll(() => {
  engineConnection.connect = realConnect;
});

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  containers: FakeContainer[] | FakeEngine,
  tty: { stdout?: boolean; stderr?: boolean } = {},
): Promise<Captured> {
  engine = containers instanceof FakeEngine ? containers : new FakeEngine(containers);
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: { write: (t: string) => (stdout += t), ...(tty.stdout ? { isTTY: true } : {}) },
    stderr: { write: (t: string) => (stderr += t), ...(tty.stderr ? { isTTY: true } : {}) },
  } as never);
  return { code, stdout, stderr };
}

function expectOneLine(result: Captured, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(hasStackTrace(result.stderr)).toBe(false);
}

/** Audit labels expiring 200 days from the real today (the CLI uses the real clock). */
const LABELS = {
  "io.hardened-docker.managed-by": "cdktf-hardened-docker",
  "io.hardened-docker.owner": "payments-team",
  "io.hardened-docker.purpose": "public REST API",
  "io.hardened-docker.expires": new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
};
const API: FakeContainer = { name: "api", labels: LABELS };

const PRIVILEGED: FakeContainer = {
  name: "loose",
  inspect: { HostConfig: { Privileged: true } },
};

describe("audit --host", () => {
  it("exits 0 for compliant containers and 1 with an unsuppressed error, naming container:/<name>", async () => {
    const ok = await cli(["audit", "--host"], [API]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe("");
    const bad = await cli(["audit", "--host", "--format", "json"], [API, PRIVILEGED]);
    expect(bad.code).toBe(1);
    const report = jsonReportSchema.parse(JSON.parse(bad.stdout));
    expect(
      report.findings.find((f) => f.ruleId === "CIS-5.5" && f.status === "fail")?.resource,
    ).toBe("container:/loose");
    expect(new Set(report.findings.map((f) => f.resource))).toEqual(
      new Set([`engine:${engineAddress()}`, "container:/api", "container:/loose"]),
    );
    expect(bad.stderr).toMatch(
      /^hardened-docker: \d+ blocking findings?: .*CIS-5\.5 container:\/loose/,
    );
  });

  it("writes SARIF with the same findings", async () => {
    const result = await cli(["audit", "--host", "--format", "sarif"], [PRIVILEGED]);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.map((r) => r.ruleId)).toContain("CIS-5.5");
  });

  it("ends the text report with how many applicable checks pass and the result, plain unless on a terminal", async () => {
    const plain = await cli(["audit", "--host"], [API]);
    const lines = plain.stdout.trimEnd().split("\n");
    expect(lines[lines.length - 2]).toMatch(/^\[INFO\] \d+ of \d+ applicable checks pass$/);
    expect(lines[lines.length - 1]).toMatch(/^\[PASS\] Result: no blocking findings/);
    expect(plain.stdout).not.toContain("\u001b[");
    const terminal = await cli(["audit", "--host"], [API], { stdout: true });
    expect(terminal.stdout).toContain("\u001b[1;32m[PASS]\u001b[0m");
    const previous = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    try {
      const noColor = await cli(["audit", "--host"], [API], { stdout: true });
      expect(noColor.stdout).not.toContain("\u001b[");
    } finally {
      if (previous === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = previous;
    }
  });

  it("shows progress on a terminal's stderr for more than a few dozen containers only", async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ name: `c${i}` }));
    const terminal = await cli(["audit", "--host", "--format", "json"], many, { stderr: true });
    expect(terminal.stderr).toContain("\rinspecting containers 60/60");
    expect(terminal.stderr).toContain("\r\u001b[2K");
    expect(() => JSON.parse(terminal.stdout)).not.toThrow();
    const piped = await cli(["audit", "--host", "--format", "json"], many);
    expect(piped.stderr).not.toContain("inspecting");
    const few = await cli(["audit", "--host"], many.slice(0, 30), { stderr: true });
    expect(few.stderr).not.toContain("inspecting");
  });

  it("passes --filter and --all to the engine and --concurrency to the reader", async () => {
    const fake = new FakeEngine(
      Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, labels: LABELS })),
      {
        delayMs: 2,
      },
    );
    const result = await cli(
      [
        "audit",
        "--host",
        "--all",
        "--filter",
        "label=team=a",
        "--filter",
        "name=c1",
        "--concurrency",
        "2",
      ],
      fake,
    );
    expect(result.code).toBe(0);
    expect(fake.lastListOptions).toEqual({
      all: true,
      filters: { label: ["team=a"], name: ["c1"] },
    });
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("exits 2 with the partial report when the engine goes away part-way", async () => {
    const fake = new FakeEngine(
      Array.from({ length: 30 }, (_, i) => ({ name: `c${i}` })),
      {
        goneAfterCalls: 10,
      },
    );
    const result = await cli(["audit", "--host", "--format", "json"], fake);
    expect(result.code).toBe(2);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    // One engine (its daemon findings) and its 30 containers.
    expect(new Set(report.findings.map((f) => f.resource)).size).toBe(31);
    expect(
      report.findings.some(
        (f) => f.ruleId === "HD-INPUT" && /^not checked: not read/.test(f.message),
      ),
    ).toBe(true);
    expect(result.stderr.trimEnd().split("\n").pop()).toMatch(
      /^hardened-docker: the Docker Engine at .* stopped answering .*; the report above is incomplete$/,
    );
  });

  it.each([
    [["audit", "--host"], /cannot reach the Docker Engine at .*permission denied on the socket/],
    [["inventory"], /cannot reach the Docker Engine at .*permission denied/],
    [
      ["drift", "--synth", join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json")],
      /cannot reach/,
    ],
  ])("%j exits 2 with one line when the engine refuses the connection", async (argv, message) => {
    const refused = new FakeEngine([], { pingError: socketError("EACCES") });
    expectOneLine(await cli(argv, refused), message);
  });

  it.each([
    [
      ["audit", "--host", "--filter", "status=running"],
      /--filter "status=running" is not a filter/,
    ],
    [
      ["audit", "--host", "--concurrency", "0"],
      /--concurrency "0": give a whole number from 1 to 64/,
    ],
    [["audit", "--host", "--synth", "x.json"], /cannot be used with option/],
    [
      ["audit", "--synth", "x.json", "--filter", "name=a"],
      /--filter selects live engines and containers: use it with --host/,
    ],
    [
      ["audit", "--host", "--level", "CIS-9.9=error"],
      /--level: level override for unknown rule "CIS-9\.9"/,
    ],
    [["audit"], /audit needs --synth <path> .* or --host/],
  ])("%j is a usage error (exit 2, one line)", async (argv, message) => {
    expectOneLine(await cli(argv, [API]), message);
  });
});

describe("inventory", () => {
  const LABELLED: FakeContainer = API;
  const BARE: FakeContainer = { name: "bare", labels: {}, image: "nginx:latest" };

  it("prints a table, exit 0 even with flags unless --strict", async () => {
    const result = await cli(["inventory"], [LABELLED, BARE]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/^NAME +STATE +IMAGE/);
    expect(result.stdout).toMatch(/^bare .* unlabelled,unpinned-image$/m);
    const strict = await cli(["inventory", "--strict"], [LABELLED, BARE]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe("hardened-docker: 1 of 2 containers flagged (--strict)\n");
    const clean = await cli(["inventory", "--strict", "--within", "0d"], [LABELLED]);
    expect(clean.code).toBe(0);
  });

  it("writes JSON to its contract, listing stopped containers too", async () => {
    const fake = new FakeEngine([LABELLED, { ...BARE, running: false }]);
    const result = await cli(["inventory", "--format", "json", "--within", "2w"], fake);
    const report = inventoryReportSchema.parse(JSON.parse(result.stdout));
    expect(report.withinDays).toBe(14);
    expect(report.containers.map((c) => [c.name, c.state])).toEqual([
      ["api", "running"],
      ["bare", "exited"],
    ]);
    expect(fake.lastListOptions).toEqual({ all: true, filters: {} });
  });

  it("refuses a --within that is not a duration", async () => {
    expectOneLine(
      await cli(["inventory", "--within", "soon"], []),
      /--within "soon" is not a duration/,
    );
  });
});

describe("drift", () => {
  const COMPLIANT = join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json");

  it("exits 0 in sync and 1 on drift, with JSON to its contract", async () => {
    // Drift compares with the synthesized labels, so the live twin keeps the fixture's own.
    const same = await cli(["drift", "--synth", COMPLIANT], [{ name: "api" }]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /^\[OK\] +docker_container\.api_container_1A2B3C4D -> container:\/api/m,
    );
    const changed = await cli(
      ["drift", "--synth", COMPLIANT, "--format", "json"],
      [{ name: "api", inspect: { HostConfig: { Memory: 0 } } }],
    );
    expect(changed.code).toBe(1);
    const report = driftReportSchema.parse(JSON.parse(changed.stdout));
    expect(report.entries[0].differences).toEqual([
      { field: "memory (bytes)", synthesized: "268435456", live: "0" },
    ]);
    expect(changed.stderr).toBe(
      "hardened-docker: drift: 1 drifted, 0 missing, 0 unmanaged, 0 unresolved, 0 unverified\n",
    );
  });

  it("needs --synth and refuses unreadable input with one line", async () => {
    expectOneLine(await cli(["drift"], []), /required option '--synth <path>'/);
    expectOneLine(
      await cli(["drift", "--synth", "/nope/cdk.tf.json"], []),
      /\/nope\/cdk\.tf\.json/,
    );
  });
});
