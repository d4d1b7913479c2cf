import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { blockingFindings, checkStack, fixedClock, HardenedDockerChecks } from "../../lib";
import { runCli } from "../cli/cli-harness";

/**
 * Issue 17's battery: hand-written Terraform JSON an attacker would write
 * (test/fixtures/battery/dangerous) and what a careful team writes (.../safe), each judged by the
 * three gates a team can use: `hardened-docker audit --synth` (its exit code and JSON report),
 * `checkStack` and `app.synth()` with `HardenedDockerChecks` on a cdktf app rebuilt from the
 * fixture (one TerraformResource per resource, every attribute an override). Each fixture's
 * top-level `//` says what it attacks and which rules must block it (`blockedBy`).
 */

const ROOT = join(__dirname, "..", "fixtures", "battery");
/** The fixtures' expiry label is far ahead; each carries a reasoned HD-EXPIRES suppression. */
const NOW = "2026-12-07T12:00:00Z";

interface BatteryCase {
  readonly id: string;
  readonly kind: "dangerous" | "safe";
  readonly file: string;
  readonly json: Record<string, unknown>;
  readonly attack: string;
  readonly blockedBy: readonly string[];
}

function casesOf(kind: "dangerous" | "safe"): BatteryCase[] {
  return readdirSync(join(ROOT, kind))
    .filter((f) => f.endsWith(".tf.json"))
    .sort()
    .map((f) => {
      const file = join(ROOT, kind, f);
      const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const battery = (json["//"] as { battery: { attack: string; blockedBy: string[] } }).battery;
      return {
        id: `${kind}/${f.replace(/\.tf\.json$/, "")}`,
        kind,
        file,
        json,
        attack: battery.attack,
        blockedBy: battery.blockedBy,
      };
    });
}

const DANGEROUS = casesOf("dangerous");
const SAFE = casesOf("safe");
const ALL = [...DANGEROUS, ...SAFE];

/** A cdktf stack that synthesizes the fixture: one TerraformResource per resource. */
function stackFrom(app: App, c: BatteryCase): TerraformStack {
  const stack = new TerraformStack(app, "battery");
  for (const [key, value] of Object.entries(c.json)) {
    if (key === "//" || key === "resource") continue;
    stack.addOverride(key, value);
  }
  {
    const types = (c.json.resource ?? {}) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    for (const [type, named] of Object.entries(types)) {
      for (const [name, body] of Object.entries(named)) {
        const resource = new TerraformResource(stack, `${type}.${name}`, {
          terraformResourceType: type,
        });
        resource.overrideLogicalId(name);
        for (const [attribute, value] of Object.entries(body)) {
          if (attribute === "//") {
            for (const [meta, v] of Object.entries(value as Record<string, unknown>)) {
              if (meta !== "metadata") resource.addOverride(`//.${meta}`, v);
            }
            continue;
          }
          resource.addOverride(attribute, value);
        }
      }
    }
  }
  return stack;
}

function blockingIds(findings: readonly { ruleId: string }[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort();
}

/** What each gate says: the rule ids that block, or undefined when it passes. */
async function viaCli(c: BatteryCase): Promise<{ code: number; blocking: string[] }> {
  const result = await runCli(["audit", "--synth", c.file, "--format", "json"]);
  const report = JSON.parse(result.stdout) as {
    findings: { ruleId: string; level: string; status: string }[];
  };
  const blocking = report.findings.filter(
    (f) => f.level === "error" && (f.status === "fail" || f.status === "unknown"),
  );
  return { code: result.code, blocking: blockingIds(blocking) };
}

function viaCheckStack(c: BatteryCase): string[] {
  const stack = stackFrom(new App({ outdir: mkdtempSync(join(tmpdir(), "hd-battery-")) }), c);
  return blockingIds(blockingFindings(checkStack(stack, { clock: fixedClock(NOW) })));
}

function viaAppSynth(c: BatteryCase): { threw: boolean; message: string } {
  const outdir = mkdtempSync(join(tmpdir(), "hd-battery-"));
  try {
    const app = new App({ outdir });
    HardenedDockerChecks.applyTo(app, { clock: fixedClock(NOW) });
    stackFrom(app, c);
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      app.synth();
    } finally {
      process.stderr.write = stderr;
    }
    return { threw: false, message: "" };
  } catch (error) {
    return { threw: true, message: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("the battery itself", () => {
  test("holds at least 60 dangerous and 25 safe hand-written inputs", () => {
    expect(DANGEROUS.length).toBeGreaterThanOrEqual(60);
    expect(SAFE.length).toBeGreaterThanOrEqual(25);
  });

  test("every case says what it attacks and a dangerous one which rules block it", () => {
    for (const c of ALL) {
      expect(c.attack.length).toBeGreaterThan(15);
      if (c.kind === "dangerous") expect(c.blockedBy.length).toBeGreaterThan(0);
      else expect(c.blockedBy).toEqual([]);
    }
  });

  test("covers every class of issue 17", () => {
    const classes = new Set(
      ALL.map((c) => (c.json["//"] as { battery: { class: string } }).battery.class),
    );
    expect([...classes].sort()).toEqual(["base", "§1", "§2", "§3", "§4", "§5"]);
  });
});

describe.each(DANGEROUS.map((c) => [c.id, c] as const))("%s", (_id, c) => {
  test(`audit --synth exits 1 with ${c.blockedBy.join(", ")} blocking`, async () => {
    const { code, blocking } = await viaCli(c);
    expect(code).toBe(1);
    expect(blocking).toEqual(expect.arrayContaining([...c.blockedBy]));
  });

  test(`checkStack blocks with ${c.blockedBy.join(", ")}`, () => {
    expect(viaCheckStack(c)).toEqual(expect.arrayContaining([...c.blockedBy]));
  });

  test("app.synth() with HardenedDockerChecks fails, naming the rules", () => {
    const result = viaAppSynth(c);
    expect(result.threw).toBe(true);
    for (const id of c.blockedBy) expect(result.message).toContain(`[${id}]`);
  });
});

describe.each(SAFE.map((c) => [c.id, c] as const))("%s", (_id, c) => {
  test("audit --synth exits 0", async () => {
    const { code, blocking } = await viaCli(c);
    expect(blocking).toEqual([]);
    expect(code).toBe(0);
  });

  test("checkStack finds nothing blocking", () => {
    expect(viaCheckStack(c)).toEqual([]);
  });

  test("app.synth() with HardenedDockerChecks passes", () => {
    expect(viaAppSynth(c)).toEqual({ threw: false, message: "" });
  });
});
