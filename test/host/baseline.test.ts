import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineConnection } from "../../lib/cli/host-options";
import { CliResult, runCli } from "../cli/cli-harness";
import { EngineClient } from "../../lib/host/engine-client";
import { EngineTarget } from "../../lib/host/engine-targets";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { FakeContainer, FakeEngine } from "./support/fake-engine";

/**
 * `audit --host --baseline <previous report.json>` over two (fake) engines named by
 * --docker-host: what is new, fixed and unchanged per engine, and the exit code that only new
 * blocking findings decide (all of them with --fail-on-unchanged).
 */

const A = "unix:///run/a.sock";
const B = "unix:///run/b.sock";
const realConnectTo = engineConnection.connectTo;
let engines: Record<string, EngineClient> = {};
beforeAll(() => {
  engineConnection.connectTo = (t: EngineTarget) => engines[t.address] as EngineClient;
});
afterAll(() => {
  engineConnection.connectTo = realConnectTo;
});

const LABELS = {
  "io.hardened-docker.managed-by": "cdktf-hardened-docker",
  "io.hardened-docker.owner": "payments-team",
  "io.hardened-docker.purpose": "public REST API",
  "io.hardened-docker.expires": new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
};
const API: FakeContainer = { name: "api", labels: LABELS };
const PRIVILEGED: FakeContainer = { name: "loose", inspect: { HostConfig: { Privileged: true } } };
const HOST_PID: FakeContainer = {
  name: "pidns",
  labels: LABELS,
  inspect: { HostConfig: { PidMode: "host" } },
};

async function audit(
  a: FakeContainer[],
  b: FakeContainer[],
  extra: string[] = [],
): Promise<CliResult> {
  engines = { [A]: new FakeEngine(a), [B]: new FakeEngine(b) };
  return runCli([
    "audit",
    "--host",
    "--docker-host",
    A,
    "--docker-host",
    B,
    "--no-processes",
    ...extra,
  ]);
}

describe("audit --host --baseline", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "hd-baseline-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says per engine what is new, fixed and unchanged, and exits 1 only on new blocking findings", async () => {
    // Last week: engine A ran a privileged container, engine B a clean one.
    const before = await audit([API, PRIVILEGED], [API], ["--format", "json"]);
    expect(before.code).toBe(1);
    const baseline = join(dir, "last-week.json");
    writeFileSync(baseline, before.stdout);

    // Same fleet today: nothing new, so the nightly run passes although A still fails.
    const same = await audit(
      [API, PRIVILEGED],
      [API],
      ["--format", "json", "--baseline", baseline],
    );
    expect(same.code).toBe(0);
    const sameReport = jsonReportSchema.parse(JSON.parse(same.stdout));
    const counts = (r: typeof sameReport, engine: string) => {
      const e = r.baseline?.engines.find((x) => x.engine === engine);
      return [e?.new, e?.fixed, e?.unchanged];
    };
    expect(counts(sameReport, A)[0]).toBe(0);
    expect(counts(sameReport, A)[2]).toBeGreaterThan(0);
    expect(counts(sameReport, B)).toEqual([0, 0, counts(sameReport, B)[2]]);
    // --fail-on-unchanged: the old blocking findings fail the run too.
    const all = await audit(
      [API, PRIVILEGED],
      [API],
      ["--baseline", baseline, "--fail-on-unchanged"],
    );
    expect(all.code).toBe(1);

    // Today: A's privileged container is gone, B gained a container in the host's PID namespace.
    const today = await audit([API], [API, HOST_PID], ["--format", "json", "--baseline", baseline]);
    expect(today.code).toBe(1);
    expect(today.stderr).toMatch(/new blocking finding.*CIS-5\.16 container:\/pidns/);
    const report = jsonReportSchema.parse(JSON.parse(today.stdout));
    const a = report.baseline?.engines.find((x) => x.engine === A);
    const b = report.baseline?.engines.find((x) => x.engine === B);
    expect(a?.new).toBe(0);
    expect(a?.fixedFindings).toContainEqual(
      expect.objectContaining({ ruleId: "CIS-5.5", resource: "container:/loose" }),
    );
    expect(b?.fixed).toBe(0);
    expect(b?.new).toBeGreaterThan(0);
    const pid = report.findings.find(
      (f) => f.engine === B && f.ruleId === "CIS-5.16" && f.resource === "container:/pidns",
    );
    expect(pid?.change).toBe("new");
  });

  it("prints the changes at the end of the text report", async () => {
    const before = await audit([API, PRIVILEGED], [API], ["--format", "json"]);
    const baseline = join(dir, "text.json");
    writeFileSync(baseline, before.stdout);
    const today = await audit([API], [API], ["--baseline", baseline]);
    expect(today.stdout).toContain(`# Changes since ${baseline}`);
    expect(today.stdout).toMatch(
      new RegExp(`engine ${A.replace(/\//g, "\\/")}: 0 new, \\d+ fixed, \\d+ unchanged`),
    );
    expect(today.stdout).toMatch(/- CIS-5\.5 container:\/loose: fixed \(was: /);
  });

  it("refuses a baseline that is not a JSON report (exit 2, one line)", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ findings: "nope" }));
    const result = await audit([API], [API], ["--baseline", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^hardened-docker: --baseline: .*bad\.json is not a hardened-docker JSON report/,
    );
  });
});
