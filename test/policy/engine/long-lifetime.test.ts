import { Testing, TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../../lib/container/hardened-container";
import { checkStack } from "../../../lib/checks/app-checks";
import { Suppressions } from "../../../lib/checks/suppressions";
import { baseProps, testClock } from "../../support/hardened-synth";

// `audit.maxLifetimeDays` above 365 lets the construct accept a far expiry date, but the label it
// writes cannot widen HD-EXPIRES's bound (anyone can write that label on a raw container): a
// lifetime over a year is a reasoned exception, a Suppressions.add of HD-EXPIRES.

const longLived = { owner: "o", purpose: "p", expires: "2027-07-28", deployedBy: "ci" };

function expiresFinding(suppress: boolean) {
  const stack = new TerraformStack(Testing.app(), "s");
  new DockerProvider(stack, "docker", {});
  const container = new HardenedContainer(
    stack,
    "api",
    baseProps({ audit: { ...longLived, maxLifetimeDays: 730 } }),
  );
  if (suppress) {
    Suppressions.add(container, [
      { ruleId: "HD-EXPIRES", reason: "a vendor appliance renewed with its yearly contract" },
    ]);
  }
  return checkStack(stack, { clock: testClock }).find((f) => f.ruleId === "HD-EXPIRES");
}

describe("a lifetime over 365 days", () => {
  test("fails HD-EXPIRES even when the construct's maxLifetimeDays allows the date", () => {
    const finding = expiresFinding(false);
    expect(finding?.status).toBe("fail");
    expect(finding?.message).toMatch(/in 500 days: more than the 365 days allowed/);
  });

  test("passes the gate only as a suppression with its reason", () => {
    const finding = expiresFinding(true);
    expect(finding?.status).toBe("suppressed");
    expect(finding?.suppression?.reason).toBe(
      "a vendor appliance renewed with its yearly contract",
    );
  });
});
