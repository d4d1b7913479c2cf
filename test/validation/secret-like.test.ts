import fc from "fast-check";
import { hasUrlCredentials, secretLikeEnv } from "../../lib/policy/facts/secret-like";
import { HD_SECRET_ENV } from "../../lib/policy/rules/hd-secret-env";
import { baseProps, synthHardened } from "../support/hardened-synth";
import { check, fixtureModel } from "../policy/rules/support/policy-harness";

/** The expression the check used to be, kept as the specification of what it finds. */
const URL_CREDENTIALS_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

const LONG = 200_000;

describe("secretLikeEnv", () => {
  test("finds credentials in URLs as the old expression did, on any short text", () => {
    const pieces = [
      "a",
      "Z",
      "9",
      "+",
      ".",
      "-",
      ":",
      "/",
      "//",
      "://",
      "@",
      " ",
      "\t",
      "x:y@",
      "é",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(hasUrlCredentials(text)).toBe(URL_CREDENTIALS_RE.test(text));
      }),
      { numRuns: 4_000 },
    );
  });

  test.each([
    ["postgres://app:hunter2@db:5432/app", true],
    ["https://:token@example.com", true],
    ["S3://key:secret@bucket", true],
    ["https://example.com/a:b@c", false],
    ["1://a:b@c", false],
    ["://a:b@c", false],
    ["https://user@example.com", false],
  ])("%s has credentials: %s", (value, expected) => {
    expect(secretLikeEnv("DATABASE_URL", value) !== undefined).toBe(expected);
  });

  test.each([
    ["letters", "a".repeat(LONG)],
    ["a scheme and colons", "a://" + ":".repeat(LONG)],
    ["schemes", "a://".repeat(LONG / 4)],
    ["spaces", " ".repeat(LONG) + "a://b:c"],
  ])("a %s value of 200,000 characters is read in linear time", (_name, value) => {
    const start = Date.now();
    secretLikeEnv("VALUE", value);
    expect(Date.now() - start).toBeLessThan(500);
  });

  test("new HardenedContainer and HD-SECRET-ENV read a 200,000-character env value at once", () => {
    const value = "a".repeat(LONG);
    const start = Date.now();
    const { container } = synthHardened(baseProps({ env: { GREETING: value } }));
    expect(container.env).toEqual([`GREETING=${value}`]);
    expect(check(HD_SECRET_ENV, fixtureModel({ env: [`GREETING=${value}`] })).status).toBe("pass");
    expect(Date.now() - start).toBeLessThan(10_000);
  });
});
