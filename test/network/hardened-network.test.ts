import { HardenedDockerValidationError, HardenedNetwork } from "../../lib";
import { validationErrorOf } from "../support/hardened-synth";
import { dockerStack, labelMap, networkProps, only, synthesized } from "../support/swarm-synth";

function synthNetwork(build: (stack: ReturnType<typeof dockerStack>) => HardenedNetwork) {
  const stack = dockerStack();
  const construct = build(stack);
  return { construct, network: only(synthesized(stack).of("docker_network")) };
}

describe("HardenedNetwork defaults: a closed user-defined bridge", () => {
  const { network, construct } = synthNetwork((s) => new HardenedNetwork(s, "net", networkProps()));

  test("is a user-defined bridge, so containers stay off docker0 (CIS 5.30)", () => {
    expect(network.driver).toBe("bridge");
    expect(construct.driver).toBe("bridge");
  });

  test("disables inter-container traffic", () => {
    expect(network.options).toEqual({ "com.docker.network.bridge.enable_icc": "false" });
  });

  test("has no route out (internal) unless asked", () => {
    expect(network.internal).toBe(true);
    expect(construct.internal).toBe(true);
  });

  test("is named after its construct path", () => {
    expect(network.name).toBe("stack-net");
  });

  test("carries the audit labels", () => {
    expect(labelMap(network.labels)).toEqual({
      "io.hardened-docker.managed-by": "cdktf-hardened-docker",
      "io.hardened-docker.owner": "payments-team",
      "io.hardened-docker.purpose": "public REST API",
      "io.hardened-docker.expires": "2026-06-30",
      "io.hardened-docker.deployed-by": "ci-bot",
      "io.hardened-docker.construct-path": "stack/net",
    });
  });

  test("its name is a reference to the docker_network, not a literal", () => {
    expect(construct.name).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });
});

describe("HardenedNetwork options", () => {
  test("interContainerTraffic: true turns ICC on explicitly", () => {
    const { network } = synthNetwork((s) =>
      HardenedNetwork.bridge(s, "net", networkProps({ interContainerTraffic: true })),
    );
    expect(network.options).toEqual({ "com.docker.network.bridge.enable_icc": "true" });
  });

  test("internal: false gives the network a route out", () => {
    const { network } = synthNetwork((s) =>
      HardenedNetwork.bridge(s, "net", networkProps({ internal: false })),
    );
    expect(network.internal).toBe(false);
  });

  test("overlay is encrypted by default (CIS 7.3) and has no bridge option", () => {
    const { network } = synthNetwork((s) => HardenedNetwork.overlay(s, "net", networkProps()));
    expect(network.driver).toBe("overlay");
    expect(network.options).toEqual({ encrypted: "true" });
    expect(network.internal).toBe(true);
  });

  test("overlay with encrypted: false writes no encrypted option", () => {
    const { network } = synthNetwork((s) =>
      HardenedNetwork.overlay(s, "net", networkProps({ encrypted: false })),
    );
    expect(network.options).toEqual({});
  });

  test("a given name and extra labels are kept", () => {
    const { network } = synthNetwork((s) =>
      HardenedNetwork.bridge(s, "net", networkProps({ name: "web-net", labels: { tier: "web" } })),
    );
    expect(network.name).toBe("web-net");
    expect(labelMap(network.labels).tier).toBe("web");
  });
});

describe("HardenedNetwork validation names construct path, field, value and fix", () => {
  function problemsOf(props: Parameters<typeof networkProps>[0]) {
    return validationErrorOf(() => new HardenedNetwork(dockerStack(), "net", networkProps(props)))
      .problems;
  }

  test("encrypted on a bridge is refused", () => {
    const error = validationErrorOf(
      () => new HardenedNetwork(dockerStack(), "net", networkProps({ encrypted: true })),
    );
    expect(error).toBeInstanceOf(HardenedDockerValidationError);
    expect(error.message).toContain("stack/net: encrypted = true: is an overlay option");
  });

  test("interContainerTraffic on an overlay is refused", () => {
    const [problem] = problemsOf({ driver: "overlay", interContainerTraffic: true });
    expect(problem).toMatchObject({ field: "interContainerTraffic", value: true });
    expect(problem.message).toMatch(/bridge option/);
  });

  test.each([
    ["an unknown driver", { driver: "macvlan" as never }, "driver", /"bridge".*"overlay"/],
    ["a bad name", { name: "-net" }, "name", /start with a letter or digit/],
    ["a raw option", { options: { x: "y" } } as never, "(props)", /unknown field\(s\) options/],
    [
      "an expired audit",
      { audit: { owner: "o", purpose: "p", expires: "2026-01-01", deployedBy: "ci" } },
      "audit.expires",
      /review the network/,
    ],
    [
      "a reserved label",
      { labels: { "io.hardened-docker.owner": "x" } },
      "labels.io.hardened-docker.owner",
      /written by the library/,
    ],
  ])("%s is refused", (_what, props, field, message) => {
    const [problem] = problemsOf(props);
    expect(problem.constructPath).toBe("stack/net");
    expect(problem.field).toBe(field);
    expect(problem.message).toMatch(message);
  });
});
