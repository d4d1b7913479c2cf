import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Container } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { TerraformStack, Testing } from "cdktf";
import { CIS_5_30_DEFAULT_BRIDGE } from "../../../lib/policy/rules/cis-5-30-default-bridge";
import { check, compliantConfig, modelOf, ruleCases } from "./support/policy-harness";

describe("CIS-5.30 default bridge", () => {
  it("is a warning", () => expect(CIS_5_30_DEFAULT_BRIDGE.level).toBe("warning"));

  ruleCases(CIS_5_30_DEFAULT_BRIDGE, [
    { name: "network mode none", raw: {}, status: "pass", message: /network mode none/ },
    {
      name: "a user-defined network (docker_network reference)",
      tf: {},
      status: "pass",
      message: /"app-net"/,
    },
    {
      name: "network_mode not set (the provider's bridge)",
      raw: { config: { networkMode: undefined } },
      tf: { networks_advanced: undefined },
      status: "fail",
      message: /default bridge/,
    },
    {
      name: 'network_mode "default"',
      tf: { network_mode: "default", networks_advanced: undefined },
      status: "fail",
    },
    {
      name: "the bridge network by name",
      tf: { networks_advanced: [{ name: "bridge" }] },
      status: "fail",
    },
    {
      name: "a network name from a variable",
      tf: { networks_advanced: [{ name: "${var.net}" }] },
      status: "unknown",
      message: /networks_advanced\[0\]\.name is only known at apply time/,
    },
  ]);

  it("resolves a raw Container's networks_advanced reference to its docker_network", () => {
    const stack = new TerraformStack(Testing.app(), "net-stack");
    new DockerProvider(stack, "docker", {});
    const net = new Network(stack, "net", { name: "backend" });
    new Container(stack, "c", {
      ...compliantConfig(),
      networkMode: undefined,
      networksAdvanced: [{ name: net.name }],
    });
    const model = modelOf(JSON.parse(Testing.synth(stack)));
    expect(model.networks).toEqual(["backend"]);
    expect(check(CIS_5_30_DEFAULT_BRIDGE, model).status).toBe("pass");
  });
});
