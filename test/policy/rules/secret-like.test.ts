import { HD_SECRET_ENV } from "../../../lib/policy/rules/hd-secret-env";
import { holdsSecretPath, secretLikeEnv } from "../../../lib/policy/facts/secret-like";
import { check, fixtureModel } from "./support/policy-harness";
import { baseProps, synthHardened, validationErrorOf } from "../../support/hardened-synth";

/**
 * The one secret test (lib/policy/facts/secret-like.ts), as HardenedContainer refuses and
 * HD-SECRET-ENV fails: a variable that says where the secret's file is passes, a secret does not.
 */

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
  // A path in a variable whose name does not say it holds one is still the secret's name.
  ["DB_PASSWORD", "/run/secrets/db-password"],
  ["GITHUB_TOKEN", "/ghp_abc"],
  // A URL with credentials is refused whatever the name.
  ["BACKUP_TARGET_FILE", "s3://key:secret@bucket/x"],
];

describe("a variable that holds the secret's path is not a secret; the secret is", () => {
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
