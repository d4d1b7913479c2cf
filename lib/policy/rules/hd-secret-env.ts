import { secretLikeEnv } from "../facts/secret-like";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** HD-SECRET-ENV: no secret is passed in the environment. */
export const HD_SECRET_ENV: Rule = {
  id: "HD-SECRET-ENV",
  title: "Ensure that secrets are not passed in environment variables",
  level: "error",
  rationale:
    "Environment variables show in `docker inspect`, `docker service inspect`, the synthesized " +
    "Terraform state and every process listing (CIS 7.4). A name like `*_PASSWORD`, `*_PASS`, " +
    "`PGPASS*`, `*_TOKEN`, `*_SECRET`, `*_KEY` or a value with credentials in a URL " +
    "(`scheme://user:password@host`) is taken as a secret: the same test HardenedService applies.",
  remediation:
    "Mount the secret as a file instead: `secrets` on HardenedService (a docker_secret), or a " +
    "read-only bind of a file the host protects; pass its path in the environment.",
  blindSpots:
    "Secrets under innocent names or in encoded values; secrets in the image's ENV, in command arguments or in files.",
  check: (c) => {
    if (isUnknown(c.env)) return unknown(c.env);
    const secrets = c.env.flatMap((entry) => {
      const at = entry.indexOf("=");
      const name = at < 0 ? entry : entry.slice(0, at);
      const why = secretLikeEnv(name, at < 0 ? "" : entry.slice(at + 1));
      return why === undefined ? [] : [`${name} (${why})`];
    });
    if (secrets.length > 0) {
      return fail(`passes what looks like secrets in the environment: ${quoted(secrets)}`);
    }
    return pass(
      c.env.length === 0
        ? "sets no environment variable"
        : `none of ${c.env.length} environment variables looks like a secret`,
    );
  },
};
