import { HardenedContainer, HardenedNetwork, checkStack } from "../../lib";
import { baseProps, validationErrorOf } from "../support/hardened-synth";
import { dockerStack, networkProps, only, synthesized } from "../support/swarm-synth";

describe("HardenedContainer takes HardenedNetworks by reference", () => {
  test("a HardenedNetwork synthesizes a reference to the docker_network's name", () => {
    const stack = dockerStack();
    const net = HardenedNetwork.bridge(stack, "backend", networkProps());
    new HardenedContainer(stack, "api", baseProps({ networks: [net] }));
    const { of } = synthesized(stack);
    const [networkId] = Object.keys(of("docker_network"));
    const container = only(of("docker_container"));
    expect(container.networks_advanced).toEqual([{ name: `\${docker_network.${networkId}.name}` }]);
    expect(container.network_mode).toBeUndefined();
  });

  test("names still work, next to HardenedNetworks", () => {
    const stack = dockerStack();
    const net = HardenedNetwork.bridge(stack, "backend", networkProps());
    new HardenedContainer(stack, "api", baseProps({ networks: ["shared-net", net] }));
    const container = only(synthesized(stack).of("docker_container"));
    expect((container.networks_advanced as { name: string }[]).map((n) => n.name)[0]).toBe(
      "shared-net",
    );
  });

  test("the host network is refused by name, in any spelling (CIS 5.10)", () => {
    for (const name of ["host", "HOST", " host"]) {
      const stack = dockerStack();
      const [problem] = validationErrorOf(
        () => new HardenedContainer(stack, "api", baseProps({ networks: [name] })),
      ).problems;
      expect(problem).toMatchObject({ field: "networks.0", value: name });
    }
  });

  test("no network and no port: network mode none", () => {
    const stack = dockerStack();
    new HardenedContainer(stack, "api", baseProps());
    expect(only(synthesized(stack).of("docker_container")).network_mode).toBe("none");
  });

  test("the policy reads the referenced network's name: CIS-5.30 passes", () => {
    const stack = dockerStack();
    const net = HardenedNetwork.bridge(stack, "backend", networkProps({ name: "backend-net" }));
    new HardenedContainer(stack, "api", baseProps({ networks: [net] }));
    const finding = checkStack(stack).find((f) => f.ruleId === "CIS-5.30");
    expect(finding).toMatchObject({ status: "pass" });
    expect(finding?.message).toContain('"backend-net"');
  });

  test("an overlay network is refused: standalone containers cannot join it", () => {
    const stack = dockerStack();
    const overlay = HardenedNetwork.overlay(stack, "swarm-net", networkProps());
    const [problem] = validationErrorOf(
      () => new HardenedContainer(stack, "api", baseProps({ networks: [overlay] })),
    ).problems;
    expect(problem).toMatchObject({ field: "networks.0", value: "stack/swarm-net" });
    expect(problem.message).toMatch(/HardenedNetwork.bridge.*HardenedService/);
  });

  test("published ports on internal networks only are refused: Docker would not publish them", () => {
    const stack = dockerStack();
    const net = HardenedNetwork.bridge(stack, "backend", networkProps());
    const [problem] = validationErrorOf(
      () =>
        new HardenedContainer(
          stack,
          "api",
          baseProps({ networks: [net], ports: [{ internal: 8080, external: 18080 }] }),
        ),
    ).problems;
    expect(problem.field).toBe("networks");
    expect(problem.message).toMatch(/internal: false/);
  });

  test("published ports on a network with a route out are accepted", () => {
    const stack = dockerStack();
    const net = HardenedNetwork.bridge(stack, "front", networkProps({ internal: false }));
    new HardenedContainer(
      stack,
      "api",
      baseProps({ networks: [net], ports: [{ internal: 8080, external: 18080 }] }),
    );
    expect(only(synthesized(stack).of("docker_container")).ports).toEqual([
      { internal: 8080, external: 18080, ip: "127.0.0.1", protocol: "tcp" },
    ]);
  });

  test("something that is neither a name nor a HardenedNetwork is refused", () => {
    const [problem] = validationErrorOf(
      () => new HardenedContainer(dockerStack(), "api", baseProps({ networks: [42 as never] })),
    ).problems;
    expect(problem.field).toBe("networks.0");
    expect(problem.message).toMatch(/HardenedNetwork or a network name/);
  });
});
