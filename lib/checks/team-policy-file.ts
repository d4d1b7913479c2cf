import { readFileSync } from "fs";
import type * as JsYaml from "js-yaml";
import { TeamPolicy, teamPolicySchema } from "../policy/team-policy";
import { valueAt } from "../validation/validation-error";

/** A team policy file that cannot be used; the message names the file, field, value and fix. */
export class TeamPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TeamPolicyError";
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Reads a team policy file (JSON, or YAML for `.yaml` / `.yml`; JSON is YAML too) and validates
 * it with `teamPolicySchema`. Throws a {@link TeamPolicyError} naming the file, each bad field,
 * its value and the fix; never falls back to a looser policy.
 */
export function loadTeamPolicy(file: string): TeamPolicy {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TeamPolicyError(
      `team policy ${file} cannot be read (${why}); give the path of a JSON or YAML file`,
    );
  }
  // js-yaml is loaded for a policy file only, not by every command that imports this module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { load: loadYaml } = require("js-yaml") as typeof JsYaml;
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? loadYaml(text) : JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new TeamPolicyError(
      `team policy ${file} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${why}`,
    );
  }
  return parseTeamPolicy(data, file);
}

/** Validates a team policy object; `where` names it in errors. */
export function parseTeamPolicy(data: unknown, where: string): TeamPolicy {
  const result = teamPolicySchema.safeParse(data ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(the file)";
    const value = valueAt(data, issue.path);
    const shown = value === undefined ? "missing" : JSON.stringify(value);
    const fix =
      issue.code === "unrecognized_keys"
        ? `${issue.message}; the fields are nonWaivable, maxWaivers, requireExpiry, maxExpiryDays`
        : issue.message;
    return `  ${field} = ${shown}: ${fix}`;
  });
  throw new TeamPolicyError(`team policy ${where} is not valid:\n${lines.join("\n")}`);
}
