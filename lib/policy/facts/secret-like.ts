/**
 * What looks like a secret in an environment variable, decided once for HardenedService (which
 * refuses it) and the policy rule HD-SECRET-ENV (which fails it): environment variables show in
 * `docker inspect`, `docker service inspect` and every process listing (CIS 7.4).
 */

/** Names that hold a secret anywhere in them: `DB_PASSWORD`, `GITHUB_TOKEN`, `PGPASSWORD`. */
const SECRET_WORD_RE =
  /(PASSWORD|PASSWD|PASSPHRASE|PGPASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;

/** Names that end in a secret's word: `DB_PASS`, `SIGNING_KEY`, `PASS`. */
const SECRET_SUFFIX_RE = /(^|_)(PASS|PWD|KEY)$/i;

/** Shell variables that end like a secret's name but hold none. */
const NOT_SECRETS: ReadonlySet<string> = new Set(["PWD", "OLDPWD"]);

/** Credentials inside a URL: `scheme://user:password@host` (a password, possibly empty user). */
const URL_CREDENTIALS_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;

/** Why an environment variable looks like a secret, or undefined when it does not. */
export function secretLikeEnv(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (!NOT_SECRETS.has(upper) && (SECRET_WORD_RE.test(name) || SECRET_SUFFIX_RE.test(name))) {
    return "its name looks like a secret's";
  }
  if (URL_CREDENTIALS_RE.test(value)) {
    return "its value is a URL with credentials in it (scheme://user:password@host)";
  }
  return undefined;
}
