import { TerraformProvider, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer, HardenedNetwork, HardenedService, checkStack } from "../../lib";
import {
  SUPPORTED_DOCKER_PROVIDER_VERSIONS,
  declaredDockerProvider,
} from "../../lib/provider/provider-version";
import { SwarmTwoTierStack } from "../../examples";
import { modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import { isUnknown } from "../../lib/policy/unknown";
import { baseProps, testClock } from "../support/hardened-synth";
import { dockerStack, networkProps, serviceProps, synthesized } from "../support/swarm-synth";

type Json = Record<string, unknown>;
const VERSION_PATH = "terraform.required_providers.docker.version";

/**
 * What `cdktf get` generates for kreuzwerker/docker@4.6.0 declares itself this way (the
 * generated provider class passes these to TerraformProvider); the real generated bindings are
 * exercised by `npm run e2e:deploy` (test/deploy/provider-bindings.ts).
 */
class GeneratedDockerProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, version = "4.6.0") {
    super(scope, id, {
      terraformResourceType: "docker",
      terraformGeneratorMetadata: {
        providerName: "docker",
        providerVersion: version,
        providerVersionConstraint: version,
      },
      terraformProviderSource: "kreuzwerker/docker",
    });
  }
}

function serviceStack(select: (stack: TerraformStack) => void): {
  json: Json;
  networks: unknown;
  networkId: string;
} {
  const stack = new TerraformStack(Testing.app(), "stack");
  select(stack);
  new HardenedService(stack, "api", serviceProps(stack));
  const { json, of } = synthesized(stack);
  const service = Object.values(of("docker_service"))[0] as Json;
  const [networkId] = Object.keys(of("docker_network"));
  return { json, networks: (service.task_spec as Json).networks_advanced, networkId };
}

function declaredVersion(json: Json): unknown {
  return (((json.terraform as Json).required_providers as Json).docker as Json).version;
}

describe("the provider version a stack declares decides what is synthesized", () => {
  test("@cdktf/provider-docker 12.0.3 declares 3.6.2: a service joins its network by `name`", () => {
    const { json, networks, networkId } = serviceStack((stack) => {
      new DockerProvider(stack, "docker", {});
    });
    expect(declaredVersion(json)).toBe("3.6.2");
    // 3.6.2 has no `id`; it reads the task's network back as an ID into `name`.
    expect(networks).toEqual([{ name: `\${docker_network.${networkId}.id}` }]);
  });

  test("12.0.3 with the version overridden to 4.6.0: the network goes in `id`", () => {
    for (const pin of ["4.6.0", "= 4.6.0"]) {
      const { json, networks, networkId } = serviceStack((stack) => {
        // The override may come after the constructs: it is read when the stack synthesizes.
        new DockerProvider(stack, "docker", {});
        stack.addOverride(VERSION_PATH, pin);
      });
      expect(declaredVersion(json)).toBe(pin);
      // 4.x deprecates `name` and reads the network back into `id`: `name` replaces every plan.
      expect(networks).toEqual([{ id: `\${docker_network.${networkId}.id}` }]);
    }
  });

  test("bindings generated for 4.6.0 (as `cdktf get` writes them) need no override", () => {
    const { json, networks, networkId } = serviceStack((stack) => {
      new GeneratedDockerProvider(stack, "docker");
    });
    expect(declaredVersion(json)).toBe("4.6.0");
    expect(networks).toEqual([{ id: `\${docker_network.${networkId}.id}` }]);
  });

  test("an override given after the constructs is the one read", () => {
    const stack = dockerStack();
    new HardenedService(stack, "api", serviceProps(stack));
    expect(declaredDockerProvider(stack)?.version).toBe("3.6.2");
    stack.addOverride(VERSION_PATH, "4.6.0");
    expect(declaredDockerProvider(stack)).toEqual({
      version: "4.6.0",
      source: "kreuzwerker/docker",
    });
  });

  test("a container and a network synthesize the same on both versions", () => {
    const synth = (version: string | undefined) => {
      const stack = dockerStack();
      if (version) stack.addOverride(VERSION_PATH, version);
      const network = HardenedNetwork.bridge(stack, "net", networkProps());
      new HardenedContainer(stack, "web", baseProps({ networks: [network] }));
      return synthesized(stack).json.resource;
    };
    expect(synth("4.6.0")).toEqual(synth(undefined));
  });
});

describe("a version hardened-docker has not been proven on is refused at synth", () => {
  const unproven = ["4.5.0", "3.6.1", "~> 4.6", ">= 3.6.2", "latest"];

  test.each(unproven)(
    "%s: the message names the construct, the value and the supported versions",
    (version) => {
      const app = Testing.app();
      const stack = dockerStack(app);
      stack.addOverride(VERSION_PATH, version);
      new HardenedContainer(stack, "web", baseProps());
      let message = "";
      try {
        Testing.synth(stack, true);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).toContain("stack/web");
      expect(message).toContain(JSON.stringify(version));
      expect(message).toContain(
        `kreuzwerker/docker ${SUPPORTED_DOCKER_PROVIDER_VERSIONS.join(" and ")} only`,
      );
      expect(message).toMatch(/pin one of them exactly/);
    },
  );

  test("every construct is refused, a service even without validations (it cannot render)", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    new GeneratedDockerProvider(stack, "docker", "4.0.0");
    new HardenedService(stack, "api", serviceProps(stack));
    expect(() => Testing.synth(stack)).toThrow(/stack\/api: terraform\.required_providers\.docker/);
    expect(() => Testing.synth(stack, true)).toThrow(/stack\/backend: .*"4\.0\.0"/);
  });

  test("a docker provider from another source is refused", () => {
    const stack = dockerStack();
    stack.addOverride("terraform.required_providers.docker.source", "example/docker");
    new HardenedContainer(stack, "web", baseProps());
    expect(() => Testing.synth(stack, true)).toThrow(
      /stack\/web: .*"example\/docker".*kreuzwerker\/docker provider only/,
    );
  });
});

describe("the policy reads a service's network in either form", () => {
  function findingsOf(version: string): string[] {
    const app = Testing.app();
    const stack = new SwarmTwoTierStack(app, "shop", {
      webImage: baseProps().image as string,
      apiImage: baseProps().image as string,
      dbPassword: "not-a-real-password",
      expires: "2026-06-30",
      deployedBy: "ci-bot",
      clock: testClock,
    });
    stack.addOverride(VERSION_PATH, version);
    return checkStack(stack).map((f) => `${f.ruleId} ${f.resource} ${f.status}: ${f.message}`);
  }

  test("the two-tier template gets the same findings on 3.6.2 and on 4.6.0", () => {
    const on3 = findingsOf("3.6.2");
    const on4 = findingsOf("4.6.0");
    expect(on4).toEqual(on3);
    // Guard against two equally blind readings: the overlay networks are seen and judged.
    expect(on4.filter((f) => /encrypted/i.test(f) && / pass: /.test(f)).length).toBeGreaterThan(0);
  });
});

describe("the Terraform reader takes a service's network from `id` or `name`", () => {
  function networksRead(block: Json): unknown {
    const stack = {
      resource: {
        docker_network: { back: { name: "shop-back", driver: "overlay" } },
        docker_service: {
          api: {
            name: "shop-api",
            task_spec: {
              container_spec: { image: "x@sha256:" + "a".repeat(64) },
              networks_advanced: [block],
            },
          },
        },
      },
    };
    const { models } = modelsFromTerraformJson(stack);
    expect(models).toHaveLength(1);
    const networks = models[0].networks;
    return isUnknown(networks) ? `unknown: ${networks.explanation}` : networks;
  }

  test("4.x's `id` and 3.6.2's `name` name the same network", () => {
    expect(networksRead({ id: "${docker_network.back.id}" })).toEqual(["shop-back"]);
    expect(networksRead({ name: "${docker_network.back.id}" })).toEqual(["shop-back"]);
  });

  test("both set (4.x refuses it) or neither is not read: unknown, so the gate fails closed", () => {
    expect(networksRead({ id: "${docker_network.back.id}", name: "shop-back" })).toMatch(
      /unknown: .*sets both id and name/,
    );
    expect(networksRead({ aliases: ["api"] })).toMatch(
      /unknown: .*networks_advanced\[0\]\.id is not set/,
    );
  });
});
