/**
 * What looks like a secret in an environment variable, decided once for HardenedService (which
 * refuses it) and the policy rule HD-SECRET-ENV (which fails it): environment variables show in
 * `docker inspect`, `docker service inspect` and every process listing (CIS 7.4).
 *
 * Every check here runs on text anyone can write (an env value of a raw container), so each one
 * takes time linear in the text: no regular expression with a repeated group that can restart at
 * every position (`test/validation/regex-linear.test.ts` runs every expression of `lib/` on long
 * adversarial strings).
 */

/** Names that hold a secret anywhere in them: `DB_PASSWORD`, `GITHUB_TOKEN`, `PGPASSWORD`. */
const SECRET_WORD_RE =
  /(PASSWORD|PASSWD|PASSPHRASE|PGPASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;

/** Names that end in a secret's word: `DB_PASS`, `SIGNING_KEY`, `PASS`. */
const SECRET_SUFFIX_RE = /(^|_)(PASS|PWD|KEY)$/i;

/** Shell variables that end like a secret's name but hold none. */
const NOT_SECRETS: ReadonlySet<string> = new Set(["PWD", "OLDPWD"]);

/**
 * The part of `scheme://user:password@host` after the scheme: `://`, a user without `:` (possibly
 * empty), `:`, a non-empty password, `@`. Each run stops at the next `:` or `/`, so matches at
 * different `://` never rescan the same text, and the search is linear.
 */
const AFTER_SCHEME_RE = /:\/\/[^\s/@:]*:[^\s/@]+@/g;

/** A URL scheme's characters (RFC 3986: a letter, then letters, digits, `+ . -`). */
function isSchemeChar(code: number): boolean {
  const lower = code | 0x20;
  return (
    (lower >= 0x61 && lower <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2e ||
    code === 0x2d
  );
}

/** True when a scheme (a letter followed by scheme characters) ends just before `end`. */
function schemeEndsAt(text: string, end: number): boolean {
  // The run of scheme characters before `end` holds a letter where a scheme can start. The runs
  // before two `://` never overlap (a run stops at the `:` of the previous one): linear overall.
  for (let i = end - 1; i >= 0 && isSchemeChar(text.charCodeAt(i)); i -= 1) {
    const lower = text.charCodeAt(i) | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) return true;
  }
  return false;
}

/** Credentials inside a URL: `scheme://user:password@host` (a password, possibly empty user). */
export function hasUrlCredentials(value: string): boolean {
  if (!value.includes("://")) return false;
  AFTER_SCHEME_RE.lastIndex = 0;
  for (let m = AFTER_SCHEME_RE.exec(value); m !== null; m = AFTER_SCHEME_RE.exec(value)) {
    if (schemeEndsAt(value, m.index)) return true;
  }
  return false;
}

/** Why an environment variable looks like a secret, or undefined when it does not. */
export function secretLikeEnv(name: string, value: string): string | undefined {
  const upper = name.toUpperCase();
  if (!NOT_SECRETS.has(upper) && (SECRET_WORD_RE.test(name) || SECRET_SUFFIX_RE.test(name))) {
    return "its name looks like a secret's";
  }
  if (hasUrlCredentials(value)) {
    return "its value is a URL with credentials in it (scheme://user:password@host)";
  }
  return undefined;
}
