import { TerraformVariable } from "cdktf";
import { CIS_5_5_PRIVILEGED } from "../../../lib/policy/rules/cis-5-5-privileged";
import { check, rawModel, ruleCases } from "./support/policy-harness";

describe("CIS-5.5 privileged containers", () => {
  ruleCases(CIS_5_5_PRIVILEGED, [
    { name: "privileged: false", raw: {}, tf: {}, status: "pass", message: /privileged is false/ },
    {
      name: "privileged not set (provider default false)",
      raw: { config: { privileged: undefined } },
      tf: { privileged: undefined },
      status: "pass",
    },
    {
      name: "privileged: true",
      raw: { config: { privileged: true } },
      tf: { privileged: true },
      status: "fail",
      message: /privileged is true/,
    },
    { name: 'privileged given as the string "true"', tf: { privileged: "true" }, status: "fail" },
  ]);

  it("catches privileged set through the addOverride escape hatch", () => {
    const model = rawModel({ customize: (container) => container.addOverride("privileged", true) });
    expect(check(CIS_5_5_PRIVILEGED, model)).toEqual({
      status: "fail",
      message: "privileged is true",
    });
  });

  it("is unknown when privileged comes from a Terraform variable", () => {
    const model = rawModel({
      customize: (container, stack) => {
        const flag = new TerraformVariable(stack, "privileged", { type: "bool" });
        container.addOverride("privileged", flag.value);
      },
    });
    const verdict = check(CIS_5_5_PRIVILEGED, model);
    expect(verdict.status).toBe("unknown");
    expect(verdict.message).toBe("privileged is only known at apply time: ${var.privileged}");
  });
});
