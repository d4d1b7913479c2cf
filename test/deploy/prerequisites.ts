import { spawnSync } from "node:child_process";
import { docker } from "../e2e/support/engine";
import { registryAnswers } from "../e2e/support/registry";
import { ProviderMirror, readyMirror } from "./provider-mirror";

/** What deploying through Terraform here needs, once it is all there. */
export interface TerraformDeployTools {
  /** The first line of `terraform version`. */
  readonly terraform: string;
  readonly mirror: ProviderMirror;
}

function firstLineOf(file: string, args: readonly string[]): string | undefined {
  const r = spawnSync(file, [...args], { encoding: "utf8" });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split("\n")[0] : undefined;
}

/**
 * Checks what `npm run e2e:deploy` and the Terraform deploy bench need: the engine, the loopback
 * registry, `terraform`, the provider mirror, and any `extraCommands`. Returns the tools, or the
 * first thing missing as one line (with how to get it).
 */
export async function terraformDeployTools(
  extraCommands: readonly string[] = [],
): Promise<TerraformDeployTools | string> {
  try {
    await docker().ping();
  } catch (error) {
    return `no Docker Engine answers (${error instanceof Error ? error.message : error})`;
  }
  if (!(await registryAnswers())) {
    return "no registry answers at http://127.0.0.1:5000/v2/ (.ci/run starts one)";
  }
  const terraform = firstLineOf("terraform", ["version"]);
  if (!terraform) return "no `terraform` on PATH (Terraform >= 1.4 is needed)";
  for (const tool of extraCommands) {
    if (!firstLineOf("sh", ["-c", `command -v ${tool}`])) {
      return `\`${tool}\` is not on PATH (.ci/run installs it)`;
    }
  }
  const mirror = readyMirror();
  return typeof mirror === "string" ? mirror : { terraform, mirror };
}
