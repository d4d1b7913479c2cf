import fc from "fast-check";
import {
  hasUrlCredentials,
  holdsSecretPath,
  secretLikeEnv,
} from "../../lib/policy/facts/secret-like";
import { HD_SECRET_ENV } from "../../lib/policy/rules/hd-secret-env";
import { baseProps, synthHardened, validationErrorOf } from "../support/hardened-synth";
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

const PATHS: readonly [string, string][] = [
  ["POSTGRES_PASSWORD_FILE", "/run/secrets/db-password"],
  ["PGPASSFILE", "/run/secrets/.pgpass"],
  ["MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/mysql-root"],
  ["TLS_PRIVATE_KEY_PATH", "/etc/app/tls/key.pem"],
  ["SECRETS_DIR", "/run/secrets/"],
  ["API_TOKEN_FILE", "/var/run/app/token@v2"],
];

const SECRETS: readonly [string, string][] = [
  ["POSTGRES_PASSWORD_FILE", "hunter2"],
  ["PGPASSFILE", "db:5432:app:app:hunter2"],
  ["DB_PASSWORD_FILE", "relative/path"],
  ["DB_PASSWORD_FILE", "/run/secrets/pw with space"],
  ["DB_PASSWORD_FILE", "/s3cr3t$!"],
  ["DB_PASSWORD_FILE", ""],
  ["DB_PASSWORD_FILE", "/"],
  ["DB_PASSWORD_FILE", "//"],
  // A path in a variable whose name does not say it holds one is still the secret's name.
  ["DB_PASSWORD", "/run/secrets/db-password"],
  ["GITHUB_TOKEN", "/ghp_abc"],
  // A URL with credentials is refused whatever the name.
  ["BACKUP_TARGET_FILE", "s3://key:secret@bucket/x"],
];

describe("a variable that holds the secret's path is not a secret; the secret is", () => {
  test("a 200,000-character path in a *_FILE variable is read in linear time", () => {
    const start = Date.now();
    holdsSecretPath("DB_PASSWORD_FILE", "/a".repeat(LONG / 2) + "!");
    holdsSecretPath("DB_PASSWORD_FILE", "/".repeat(LONG));
    expect(Date.now() - start).toBeLessThan(500);
  });

  test.each(PATHS)("%s=%s holds a path and passes", (name, value) => {
    expect(holdsSecretPath(name, value)).toBe(true);
    expect(secretLikeEnv(name, value)).toBeUndefined();
  });

  test.each(SECRETS)("%s=%s is refused", (name, value) => {
    expect(secretLikeEnv(name, value)).toEqual(expect.any(String));
  });

  test("a *_FILE variable holding a secret says the value must be a path", () => {
    expect(secretLikeEnv("POSTGRES_PASSWORD_FILE", "hunter2")).toMatch(/not an absolute path/);
    expect(secretLikeEnv("DB_PASSWORD", "hunter2")).toBe("its name looks like a secret's");
  });

  test.each(PATHS)("HD-SECRET-ENV passes %s=%s", (name, value) => {
    const verdict = check(HD_SECRET_ENV, fixtureModel({ env: [`${name}=${value}`] }));
    expect(verdict.status).toBe("pass");
  });

  test.each(SECRETS)("HD-SECRET-ENV fails %s=%s", (name, value) => {
    const verdict = check(HD_SECRET_ENV, fixtureModel({ env: [`${name}=${value}`] }));
    expect(verdict.status).toBe("fail");
    expect(verdict.message).toContain(name);
  });

  test("HardenedContainer takes POSTGRES_PASSWORD_FILE and PGPASSFILE as paths", () => {
    const { container } = synthHardened(
      baseProps({
        env: {
          POSTGRES_PASSWORD_FILE: "/run/secrets/db-password",
          PGPASSFILE: "/run/secrets/pgpass",
        },
      }),
    );
    expect(container.env).toEqual([
      "POSTGRES_PASSWORD_FILE=/run/secrets/db-password",
      "PGPASSFILE=/run/secrets/pgpass",
    ]);
  });

  test("HardenedContainer refuses a password in a *_FILE variable, its value hidden", () => {
    const [problem] = validationErrorOf(() =>
      synthHardened(baseProps({ env: { POSTGRES_PASSWORD_FILE: "hunter2" } })),
    ).problems;
    expect(problem).toMatchObject({ field: "env.POSTGRES_PASSWORD_FILE", value: "(value hidden)" });
    expect(problem.message).toMatch(/not an absolute path.*CIS 7.4/);
  });
});
