import { TerraformVariable } from "cdktf";
import { CIS_4_1_NON_ROOT_USER } from "../../../lib/policy/rules/cis-4-1-non-root-user";
import { check, rawModel, ruleCases } from "./support/policy-harness";

describe("CIS-4.1 non-root user", () => {
  ruleCases(CIS_4_1_NON_ROOT_USER, [
    {
      name: "numeric UID:GID 10001:10001",
      raw: {},
      tf: {},
      status: "pass",
      message: /UID 10001 GID 10001|UID 65534 GID 65534/,
    },
    {
      name: "numeric UID only",
      raw: { config: { user: "1000" } },
      tf: { user: "1000" },
      status: "pass",
      message: /^runs as UID 1000$/,
    },
    {
      name: "UID with group 0 (passes, message says so)",
      tf: { user: "1000:0" },
      status: "pass",
      message: /group 0 \(root's group\)/,
    },
    {
      name: "user not set",
      raw: { config: { user: undefined } },
      tf: { user: undefined },
      status: "fail",
      message: /user is not set/,
    },
    {
      name: "user root",
      raw: { config: { user: "root" } },
      tf: { user: "root" },
      status: "fail",
      message: /runs as root/,
    },
    { name: "user 0", tf: { user: "0" }, status: "fail", message: /runs as root/ },
    {
      name: "user 0:1000",
      raw: { config: { user: "0:1000" } },
      status: "fail",
      message: /runs as root \(user "0:1000"\)/,
    },
    {
      name: "user 000 (still UID 0)",
      tf: { user: "000" },
      status: "fail",
      message: /runs as root/,
    },
    {
      name: "a user name (cannot be verified)",
      raw: { config: { user: "app" } },
      tf: { user: "nobody:nogroup" },
      status: "fail",
      message: /is a name/,
    },
  ]);

  it("is unknown when user is a TerraformVariable token", () => {
    const model = rawModel({
      customize: (container, stack) => {
        container.user = new TerraformVariable(stack, "user", { type: "string" }).stringValue;
      },
    });
    const verdict = check(CIS_4_1_NON_ROOT_USER, model);
    expect(verdict).toEqual({
      status: "unknown",
      message: "user is only known at apply time: ${var.user}",
    });
  });
});
