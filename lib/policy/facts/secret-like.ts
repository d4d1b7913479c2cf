/**
 * What looks like a secret in an environment variable, decided once for HardenedContainer and
 * HardenedService (which refuse it) and the policy rule HD-SECRET-ENV (which fails it):
 * environment variables show in `docker inspect`, `docker service inspect` and every process
 * listing (CIS 7.4).
 */

/** Names that hold a secret anywhere in them: `DB_PASSWORD`, `GITHUB_TOKEN`, `PGPASSWORD`. */
const SECRET_WORD_RE =
  /(PASSWORD|PASSWD|PASSPHRASE|PGPASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;

/** Names that end in a secret's word: `DB_PASS`, `SIGNING_KEY`, `PASS`. */
const SECRET_SUFFIX_RE = /(^|_)(PASS|PWD|KEY)$/i;

/** Shell variables that end like a secret's name but hold none. */
const NOT_SECRETS: ReadonlySet<string> = new Set(["PWD", "OLDPWD"]);

/**
 * Names that say they hold where a secret is, not the secret: `POSTGRES_PASSWORD_FILE` (the
 * `*_FILE` convention of the official database images), `PGPASSFILE` (libpq), `TLS_KEY_PATH`,
 * `SECRETS_DIR`.
 */
const PATH_NAME_RE = /(FILE|_PATH|_DIR)$/i;

/**
 * An absolute path as such a variable holds one: `/` and segments of letters, digits and
 * `. _ @ + -`. Nothing a password generator's alphabet needs beyond that (no space, colon, quote,
 * `$`, `!`, `#`, `%` ...), so a real secret in a `*_FILE` variable is still refused unless it is
 * itself spelled like a path.
 */
const ABSOLUTE_PATH_RE = /^(?:\/[A-Za-z0-9._@+-]+)+\/?$/;

/** Credentials inside a URL: `scheme://user:password@host` (a password, possibly empty user). */
const URL_CREDENTIALS_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

/**
 * True for a variable whose name says it holds a path (`*_FILE`, `*FILE`, `*_PATH`, `*_DIR`) and
 * whose value is an absolute path: where the secret is mounted, which is what CIS 7.4 asks for.
 */
export function holdsSecretPath(name: string, value: string): boolean {
  return PATH_NAME_RE.test(name) && ABSOLUTE_PATH_RE.test(value);
}

/** Why an environment variable looks like a secret, or undefined when it does not. */
export function secretLikeEnv(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (
    !NOT_SECRETS.has(upper) &&
    (SECRET_WORD_RE.test(name) || SECRET_SUFFIX_RE.test(name)) &&
    !holdsSecretPath(name, value)
  ) {
    return PATH_NAME_RE.test(name)
      ? "its name looks like a secret's, and its value is not an absolute path to the secret's file"
      : "its name looks like a secret's";
  }
  if (URL_CREDENTIALS_RE.test(value)) {
    return "its value is a URL with credentials in it (scheme://user:password@host)";
  }
  return undefined;
}
