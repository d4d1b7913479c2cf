/**
 * `npm run bench`: prints performance figures (never asserted in tests).
 * - synth time, raw Container vs HardenedContainer, and the rule-pack evaluation rate;
 * - `audit --host` on 51 and 200 live containers versus one `docker inspect` per check
 *   (needs a Docker Engine; skipped with a note when none answers);
 * - `audit --host` over 1, 2, 5 and 10 extra dockerd processes with 50 containers each (needs
 *   root, dockerd and ip; skipped with a note otherwise);
 * - `terraform apply` / `destroy` of 20 raw Containers against 20 HardenedContainers through the
 *   real provider (needs the engine, terraform and the provider mirror; skipped with a note).
 */
import { benchFleetAudit } from "./fleet-audit";
import { benchHostAudit } from "./host-audit";
import { benchSynthAndRules } from "./synth-and-rules";
import { benchTerraformDeploy } from "./terraform-deploy";

async function main(): Promise<void> {
  console.log("== Synth and rule pack ==");
  benchSynthAndRules();
  console.log("\n== audit --host on a live engine ==");
  await benchHostAudit([51, 200]);
  console.log("\n== audit --host over a fleet of engines (extra dockerd processes) ==");
  await benchFleetAudit([1, 2, 5, 10], 50);
  console.log("\n== Deploy through Terraform: the cost of the PIDs step ==");
  await benchTerraformDeploy(20);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
