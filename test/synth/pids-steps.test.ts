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

/** A `terraform_data` with one local-exec running `command`, added beside the step. */
function withCommand(command: string, type = "terraform_data"): Json {
  const s = stack();
  const resources = s.resource as Json;
  resources[type] = {
    ...((resources[type] as Json | undefined) ?? {}),
    after: { provisioner: [{ "local-exec": { command } }] },
  };
  return s;
}

describe("issue 17 §4: the limit survives what Terraform does next", () => {
  it("does not count a step that is not replaced with the container (no triggers_replace)", () => {
    const s = stack();
    delete steps(s)[STEP]?.triggers_replace;
    expect(isUnknown(pidsLimit(s))).toBe(true);
  });

  it("does not count a step whose triggers_replace does not hold the container's id", () => {
    const s = stack();
    (steps(s)[STEP] as Json).triggers_replace = { container_id: "static" };
    expect(isUnknown(pidsLimit(s))).toBe(true);
  });

  it("does not count a step whose lifecycle ignores its triggers", () => {
    const s = stack();
    (steps(s)[STEP] as Json).lifecycle = { ignore_changes: ["triggers_replace"] };
    expect(isUnknown(pidsLimit(s))).toBe(true);
  });

  it.each([
    ["docker update --pids-limit -1 api", "terraform_data"],
    ["docker update --pids-limit -1 api", "null_resource"],
    ["docker container update --pids-limit=0 api", "terraform_data"],
    [
      "/usr/bin/docker update --pids-limit -1 ${docker_container.api_container_1A2B3C4D.name}",
      "terraform_data",
    ],
    ["sleep 5 && sudo docker update --pids-limit -1 api", "terraform_data"],
    ["sh -c 'docker update --pids-limit -1 $(docker ps -q)'", "terraform_data"],
    ["docker ps -q | xargs docker update --pids-limit -1", "terraform_data"],
    ["docker -H unix:///var/run/docker.sock update --pids-limit -1 api", "terraform_data"],
    ["docker update --pids-limit -1 $NAME", "terraform_data"],
    ["docker rm -f api && docker run -d --name api busybox", "terraform_data"],
    ["docker compose up -d", "terraform_data"],
    [
      "curl --unix-socket /var/run/docker.sock -X POST http://d/containers/api/update -d '{\"PidsLimit\":-1}'",
      "terraform_data",
    ],
  ])("a later provisioner running %s (in a %s) makes the limit unknown", (command, type) => {
    const limit = pidsLimit(withCommand(command, type));
    expect(limit).toBeInstanceOf(Object);
    expect(isUnknown(limit)).toBe(true);
  });

  it.each([
    "docker pull registry.example.com/payments/api",
    "echo docker update --pids-limit -1 api",
    "docker update --restart no api",
    "docker update --pids-limit -1 another-container",
    "docker logs api",
  ])("a provisioner running %s leaves the limit at 128", (command) => {
    expect(pidsLimit(withCommand(command))).toBe(128);
  });
});

describe("issue 17 §4: the step's docker CLI and the provider talk to the same engine", () => {
  it("is unknown when the provider's host is set (the step talks to the environment's engine)", () => {
    const s = stack();
    s.provider = { docker: [{ host: "ssh://deploy@prod.example.com" }] };
    const limit = pidsLimit(s);
    expect(isUnknown(limit) && limit.explanation).toMatch(/ssh:\/\/deploy@prod.example.com/);
  });

  it("reads the container's aliased provider", () => {
    const s = stack();
    s.provider = { docker: [{}, { alias: "remote", host: "tcp://10.0.0.5:2376" }] };
    expect(pidsLimit(s)).toBe(128);
    const containers = (s.resource as Json).docker_container as Record<string, Json>;
    (containers[CONTAINER] as Json).provider = "docker.remote";
    expect(isUnknown(pidsLimit(s))).toBe(true);
  });
});

describe("the block forms Terraform's JSON syntax allows", () => {
  const block = (s: Json) => steps(s)[STEP] as Json;
  it.each<[string, (s: Json) => void]>([
    [
      "local-exec as a one-block array (hcl2json)",
      (s) => {
        const p = block(s).provisioner as Json[];
        p[0] = { "local-exec": [localExec(s)] };
      },
    ],
    [
      "provisioner as an object",
      (s) => {
        block(s).provisioner = { "local-exec": localExec(s) };
      },
    ],
  ])("%s is the step", (_name, change) => {
    const s = stack();
    change(s);
    expect(pidsLimit(s)).toBe(128);
  });

  it("two local-exec blocks in one array are not the step", () => {
    const s = stack();
    const command = localExec(s);
    block(s).provisioner = [
      { "local-exec": [command, { command: "docker update --pids-limit -1 api" }] },
    ];
    expect(isUnknown(pidsLimit(s))).toBe(true);
  });
});
