import { App, TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../../lib/container/hardened-container";
import { Relax } from "../../../lib/policy/relaxations";
import { checkStack } from "../../../lib/checks/app-checks";
import { baseProps, testClock } from "../../support/hardened-synth";

const REASON = "the VPN sidecar must configure routes in its own namespace";

function stackWithApi(props = baseProps()): {
  app: App;
  stack: TerraformStack;
  api: HardenedContainer;
} {
  const app = Testing.app();
  const stack = new TerraformStack(app, "stack");
  new DockerProvider(stack, "docker", {});
  const api = new HardenedContainer(stack, "api", props);
  return { app, stack, api };
}

describe("checkStack on HardenedContainers with the default pack", () => {
  it("finds nothing failing or unknown in a default HardenedContainer", () => {
    const { stack } = stackWithApi();
    const findings = checkStack(stack, { clock: testClock });
    expect(findings.length).toBeGreaterThan(30);
    expect(findings.filter((f) => f.status === "fail" || f.status === "unknown")).toEqual([]);
    expect(new Set(findings.map((f) => f.constructPath))).toEqual(new Set(["stack/api/container"]));
  });

  it("judges an override on the construct's nested docker_container", () => {
    const { stack, api } = stackWithApi();
    api.container.addOverride("privileged", true);
    const finding = checkStack(stack, { clock: testClock }).find((f) => f.ruleId === "CIS-5.5");
    expect(finding).toMatchObject({ status: "fail", constructPath: "stack/api/container" });
  });

  it("shows a relaxation as a suppressed finding carrying the relaxation's reason", () => {
    const { stack } = stackWithApi(
      baseProps({ relaxations: [Relax.addCapabilities(["NET_ADMIN"], REASON)] }),
    );
    const finding = checkStack(stack, { clock: testClock }).find((f) => f.ruleId === "CIS-5.4");
    expect(finding?.status).toBe("suppressed");
    expect(finding?.suppression?.reason).toContain(REASON);
  });
});
