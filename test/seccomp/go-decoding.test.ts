import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";
import fc from "fast-check";
import { decodeGoJson, GoValue } from "../../lib/policy/go-json";
import { DAEMON_SECCOMP_TYPE } from "../../lib/policy/seccomp/daemon-profile";
import { parseSeccompSecurityOpt, SeccompProfile } from "../../lib/policy/seccomp";
import { HD_SECCOMP_DENYLIST } from "../../lib/policy/rules/hd-seccomp-denylist";
import { check, fixtureModel } from "../policy/rules/support/policy-harness";

/**
 * A seccomp profile means what the Docker daemon's Go `encoding/json` reads in it. The oracle is
 * Go itself: `go-oracle/main.go` decodes generated spellings into the daemon's struct, and this
 * reader must agree on every one it claims to read (it may call a text ambiguous, and then the
 * rules fail it). Without `go` on PATH the differential part is skipped with the reason, except
 * in CI (CI=true or REQUIRE_DOCKER=1), where it fails.
 */

const ORACLE_SOURCE = join(__dirname, "go-oracle", "main.go");

function goOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "go");
    if (spawnSync(candidate, ["version"], { stdio: "ignore" }).status === 0) return candidate;
  }
  return undefined;
}

const go = goOnPath();
const required = process.env.CI === "true" || process.env.REQUIRE_DOCKER === "1";
const why = "no `go` on PATH: the Go oracle cannot be built (install Go, or set PATH)";
if (go === undefined && !required)
  console.warn(`go-decoding.test.ts: differential tests skipped: ${why}`);

/** Our reading in the oracle's form: unsigned integers as decimal strings. */
function shown(value: GoValue): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(shown);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  }
  return value;
}

// ---- generated spellings ----------------------------------------------------------------

/** A JSON value written by hand: raw text, or an object whose keys are spelled later. */
type Piece = { raw: string } | { entries: [string, Piece][] } | { items: Piece[] };

const raw = (text: string): Piece => ({ raw: text });
const str = (text: string): Piece => raw(JSON.stringify(text));

const numberText = fc.constantFrom(
  "0",
  "1",
  "38",
  "2147483648",
  "9007199254740993",
  "18446744073709551615",
  "18446744073709551616",
  "1.5",
  "1e2",
  "-1",
  "0.0",
);
const action = fc.constantFrom("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "", "scmp_act_allow");
const syscallName = fc.constantFrom("ptrace", "mount", "read", "clone", "");
const nullOr = (p: fc.Arbitrary<Piece>) =>
  fc.oneof({ weight: 6, arbitrary: p }, { weight: 1, arbitrary: fc.constant(raw("null")) });
const strings = nullOr(
  fc.array(syscallName.map(str), { maxLength: 3 }).map((items) => ({ items })),
);

/** Entries of an object, each possibly written twice (the second with another value). */
function object(fields: [string, fc.Arbitrary<Piece>][]): fc.Arbitrary<Piece> {
  return fc
    .tuple(
      ...fields.map(([key, value]) =>
        fc
          .record({
            present: fc.boolean(),
            value,
            again: fc.option(value, { freq: 4 }),
          })
          .map(({ present, value: v, again }) => ({ key, present, v, again })),
      ),
      fc.boolean(),
    )
    .map((parts) => {
      const extra = parts.pop() as boolean;
      const entries: [string, Piece][] = [];
      for (const p of parts as { key: string; present: boolean; v: Piece; again: Piece | null }[]) {
        if (!p.present) continue;
        entries.push([p.key, p.v]);
        if (p.again !== null) entries.push([p.key, p.again]);
      }
      if (extra) entries.push(["unknownField", str("x")]);
      return { entries };
    });
}

const filter = nullOr(
  object([
    ["caps", strings],
    ["arches", strings],
    ["minKernel", nullOr(fc.constantFrom("4.8", "").map(str))],
  ]),
);
const arg = nullOr(
  object([
    ["index", numberText.map(raw)],
    ["value", numberText.map(raw)],
    ["valueTwo", numberText.map(raw)],
    ["op", fc.constantFrom("SCMP_CMP_EQ", "SCMP_CMP_MASKED_EQ").map(str)],
  ]),
);
const rule = nullOr(
  object([
    ["names", strings],
    ["name", syscallName.map(str)],
    ["action", action.map(str)],
    ["errnoRet", nullOr(numberText.map(raw))],
    ["args", nullOr(fc.array(arg, { maxLength: 2 }).map((items) => ({ items })))],
    ["comment", fc.constantFrom("c", "").map(str)],
    ["includes", filter],
    ["excludes", filter],
  ]),
);
const profile = object([
  ["defaultAction", fc.oneof(action.map(str), fc.constant(raw("null")), fc.constant(raw("1")))],
  ["defaultErrnoRet", nullOr(numberText.map(raw))],
  ["architectures", strings],
  [
    "archMap",
    nullOr(
      fc
        .array(
          object([
            ["architecture", fc.constantFrom("SCMP_ARCH_X86_64").map(str)],
            ["subArchitectures", strings],
          ]),
          { maxLength: 2 },
        )
        .map((items) => ({ items })),
    ),
  ],
  ["syscalls", nullOr(fc.array(rule, { maxLength: 3 }).map((items) => ({ items })))],
]);

/** Ways to spell a key that Go reads as the same field, and one it does not. */
function spell(key: string, how: number): string {
  switch (how % 8) {
    case 0:
      return key;
    case 1:
      return key.toUpperCase();
    case 2:
      return key[0].toUpperCase() + key.slice(1);
    case 3:
      return key.replace(/s/g, "\u017f"); // long s
    case 4:
      return key.replace(/k/gi, "\u212a"); // Kelvin sign
    case 5:
      return [...key].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join("");
    case 6:
      return key.replace(/i/g, "\u0131"); // dotless i: not a fold of i
    default:
      return key.replace(/a/g, "\u00e0"); // another letter: no field
  }
}

/** Writes a piece as JSON text, spelling each key by the next choice of `hows`. */
function write(piece: Piece, hows: () => number, escape: () => boolean): string {
  if ("raw" in piece) return piece.raw;
  if ("items" in piece) return `[${piece.items.map((p) => write(p, hows, escape)).join(",")}]`;
  return `{${piece.entries
    .map(([key, value]) => {
      let name = JSON.stringify(spell(key, hows()));
      if (escape()) name = name.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
      return `${name}:${write(value, hows, escape)}`;
    })
    .join(",")}}`;
}

const spellings = fc
  .tuple(profile, fc.array(fc.nat(40), { minLength: 8, maxLength: 8 }), fc.nat())
  .map(([piece, choices, seed]) => {
    let i = 0;
    let j = seed;
    // Mostly the exact key, else one of the other spellings.
    const hows = () => {
      const c = choices[i++ % choices.length] as number;
      return c < 24 ? 0 : c;
    };
    const escape = () => (j = (j * 1103515245 + 12345) % 2147483648) % 11 === 0;
    return write(piece, hows, escape);
  });

// ---- the oracle --------------------------------------------------------------------------

let oracle: string | undefined;
let buildDir: string | undefined;

function runOracle(texts: string[]): { ok: boolean; value?: unknown }[] {
  const out = execFileSync(oracle as string, [], {
    input: JSON.stringify(texts),
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out.toString("utf8")) as { ok: boolean; value?: unknown }[];
}

const differential = go !== undefined || required ? describe : describe.skip;

differential("our reading of seccomp profiles equals Go's encoding/json (the daemon's)", () => {
  beforeAll(() => {
    if (go === undefined) throw new Error(why);
    buildDir = mkdtempSync(join(tmpdir(), "hd-go-oracle-"));
    oracle = join(buildDir, "oracle");
    execFileSync(go, ["build", "-o", oracle, ORACLE_SOURCE], {
      cwd: buildDir,
      env: { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "off" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  }, 180_000);
  afterAll(() => {
    if (buildDir !== undefined) rmSync(buildDir, { recursive: true, force: true });
  });

  test("generated spellings: case, folded letters, escapes, duplicates, nulls, nesting", () => {
    const texts = fc.sample(spellings, { numRuns: 3000, seed: 17 });
    const fixed = [
      '{"DefaultAction":"SCMP_ACT_ALLOW"}',
      '{"defaultAction":"SCMP_ACT_ERRNO","DEFAULTACTION":"SCMP_ACT_ALLOW"}',
      '{"defaultAction":"SCMP_ACT_ERRNO","\u017fyscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ALLOW"}]}',
      '{"defaultAction":"SCMP_ACT_ERRNO","defaultAction":null}',
      '{"\u212aey":1,"defaultAction":"x"}',
      "{}",
      "null",
      "[]",
      '{"syscalls":[null]}',
      "[".repeat(10_000) + "]".repeat(10_000),
      "[".repeat(10_001) + "]".repeat(10_001),
      SeccompProfile.hardenedDefault().toJson(),
    ];
    const all = [...fixed, ...texts];
    const theirs = runOracle(all);
    let compared = 0;
    let ambiguous = 0;
    const disagreements: string[] = [];
    all.forEach((text, i) => {
      const ours = decodeGoJson(text, DAEMON_SECCOMP_TYPE);
      const go = theirs[i] as { ok: boolean; value?: unknown };
      if (!ours.ok && ours.ambiguous) {
        ambiguous += 1;
        return;
      }
      compared += 1;
      const same = ours.ok
        ? go.ok && JSON.stringify(sorted(shown(ours.value))) === JSON.stringify(sorted(go.value))
        : !go.ok;
      if (!same && disagreements.length < 5) {
        disagreements.push(
          `${text.slice(0, 300)}\n  ours: ${JSON.stringify(ours.ok ? sorted(shown(ours.value)) : ours.error).slice(0, 400)}\n  go:   ${JSON.stringify(go).slice(0, 400)}`,
        );
      }
    });
    expect(disagreements).toEqual([]);
    // The generator must mostly give texts this reader decides, not ambiguous ones.
    expect(compared).toBeGreaterThan(all.length * 0.6);
    expect(ambiguous).toBeGreaterThan(0);
  });
});

/** Object keys sorted, for comparing with Go's map output. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

// ---- what the rules make of the spellings an attacker writes ------------------------------

describe("HD-SECCOMP-DENYLIST reads a profile as the daemon does", () => {
  const verdict = (json: string) =>
    check(
      HD_SECCOMP_DENYLIST,
      fixtureModel({ security_opts: ["no-new-privileges:true", `seccomp=${json}`] }),
    );

  test.each([
    [
      '"DefaultAction": "SCMP_ACT_ALLOW" is an allow-all profile',
      '{"DefaultAction":"SCMP_ACT_ALLOW"}',
      /does not deny/,
    ],
    [
      "a later key that folds to defaultAction wins",
      '{"defaultAction":"SCMP_ACT_ERRNO","DEFAULTACTION":"SCMP_ACT_ALLOW"}',
      /does not deny/,
    ],
    [
      "\u017fyscalls (long s) is syscalls",
      '{"defaultAction":"SCMP_ACT_ERRNO","\u017fyscalls":[{"names":["ptrace","mount"],"action":"SCMP_ACT_ALLOW"}]}',
      /does not deny .*ptrace/,
    ],
    ["an empty profile turns seccomp off", "{}", /without seccomp/],
    ["null turns seccomp off", "null", /without seccomp/],
    [
      "a repeated syscalls list is refused (Go merges it into the first)",
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}],"Syscalls":[{"action":"SCMP_ACT_ALLOW"}]}',
      /given twice/,
    ],
  ])("%s", (_name, json, message) => {
    const result = verdict(json);
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(message);
  });

  test("a null defaultAction after the real one leaves it (Go ignores null for a string)", () => {
    const shipped = JSON.parse(SeccompProfile.hardenedDefault().toJson()) as Record<
      string,
      unknown
    >;
    const json = JSON.stringify(shipped).replace(/}$/, ',"defaultAction":null}');
    expect(verdict(json).status).toBe("pass");
  });

  test("the security option reader reports a profile without action or rules as unconfined", () => {
    expect(parseSeccompSecurityOpt("seccomp={}")).toMatchObject({ kind: "unconfined" });
  });

  test("SeccompProfile.fromJson reads keys as the daemon does", () => {
    const profile = SeccompProfile.fromJson('{"DefaultAction":"SCMP_ACT_ERRNO","Syscalls":[]}');
    expect(profile.toObject().defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(() => SeccompProfile.fromJson("{}")).toThrow(/without seccomp/);
  });
});
