import { CIS_4_6_HEALTHCHECK } from "../../../lib/policy/rules/cis-4-6-healthcheck";
import { CIS_5_27_RUNTIME_HEALTHCHECK } from "../../../lib/policy/rules/cis-5-27-runtime-healthcheck";
import { ruleCases } from "./support/policy-harness";

describe.each([CIS_4_6_HEALTHCHECK, CIS_5_27_RUNTIME_HEALTHCHECK])("$id health check", (rule) => {
  ruleCases(rule, [
    {
      name: "a CMD health check",
      raw: {},
      tf: {},
      status: "pass",
      message: /health check: CMD \/bin\/healthcheck/,
    },
    {
      name: "no health check (the image's cannot be seen at synth time)",
      raw: { config: { healthcheck: undefined } },
      tf: { healthcheck: undefined },
      status: "fail",
      message: /no health check in the configuration \(an image HEALTHCHECK cannot be seen/,
    },
    {
      name: 'test ["NONE"] disables the image\'s check',
      raw: { config: { healthcheck: { test: ["NONE"] } } },
      tf: { healthcheck: [{ test: ["NONE"] }] },
      status: "fail",
      message: /disabled/,
    },
    {
      name: "test from a variable",
      tf: { healthcheck: { test: "${var.test}" } },
      status: "unknown",
      message: /healthcheck\.test is only known at apply time/,
    },
  ]);
});
