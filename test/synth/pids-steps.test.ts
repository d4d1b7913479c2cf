import { readFileSync } from "fs";
import { join } from "path";
import { modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import { isUnknown } from "../../lib/policy/unknown";

/**
 * The PIDs-limit step counts only when Terraform will run it as the construct writes it. Each
 * hostile variant below was read as "limit 128" before.
 */

type Json = Record<string, unknown>;
const COMPLIANT = join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json");
const STEP = "api_pids-limit_5E6F7A8B";
const CONTAINER = "api_container_1A2B3C4D";

function stack(): Json {
  return JSON.parse(readFileSync(COMPLIANT, "utf8")) as Json;
}
function steps(s: Json): Record<string, Json> {
  return (s.resource as Json).terraform_data as Record<string, Json>;
}
function localExec(s: Json): Json {
  const provisioner = steps(s)[STEP]?.provisioner as Json[];
  return provisioner[0]?.["local-exec"] as Json;
}
function pidsLimit(s: Json): unknown {
  return modelsFromTerraformJson(s).models[0]?.pidsLimit;
}

it("reads the step as the construct writes it", () => {
  expect(pidsLimit(stack())).toBe(128);
});

it.each<[string, (s: Json) => void]>([
  ["count = 0 on the step", (s) => (steps(s)[STEP] = { ...steps(s)[STEP], count: 0 })],
  ["for_each on the step", (s) => (steps(s)[STEP] = { ...steps(s)[STEP], for_each: "${var.x}" })],
  ["when = destroy", (s) => (localExec(s).when = "destroy")],
  ["another interpreter", (s) => (localExec(s).interpreter = ["/bin/true"])],
  ["on_failure = continue", (s) => (localExec(s).on_failure = "continue")],
  [
    "an environment pointing docker elsewhere",
    (s) => (localExec(s).environment = { DOCKER_HOST: "tcp://elsewhere:2375" }),
  ],
  [
    "a second step that lifts the limit",
    (s) =>
      (steps(s).lift = {
        provisioner: [
          {
            "local-exec": {
              command: `docker update --pids-limit -1 \${docker_container.${CONTAINER}.id}`,
            },
          },
        ],
      }),
  ],
  [
    "a provisioner on the container itself",
    (s) => {
      const containers = (s.resource as Json).docker_container as Record<string, Json>;
      (containers[CONTAINER] as Json).provisioner = [
        { "local-exec": { command: "docker update --pids-limit 0 ${self.id}" } },
      ];
    },
  ],
])("does not trust the limit with %s", (_, change) => {
  const s = stack();
  change(s);
  const limit = pidsLimit(s);
  expect(isUnknown(limit) || limit === 0).toBe(true);
});
