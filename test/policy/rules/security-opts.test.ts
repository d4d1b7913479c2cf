import { CIS_5_22_SECCOMP_ENABLED } from "../../../lib/policy/rules/cis-5-22-seccomp-enabled";
import { CIS_5_26_NO_NEW_PRIVILEGES } from "../../../lib/policy/rules/cis-5-26-no-new-privileges";
import { ruleCases } from "./support/policy-harness";

describe("CIS-5.22 seccomp not disabled", () => {
  ruleCases(CIS_5_22_SECCOMP_ENABLED, [
    { name: "no seccomp option (Docker's default)", raw: {}, status: "pass" },
    { name: "an inline profile", tf: {}, status: "pass" },
    {
      name: "seccomp=unconfined",
      raw: { config: { securityOpts: ["seccomp=unconfined"] } },
      tf: { security_opts: ["seccomp=unconfined"] },
      status: "fail",
      message: /seccomp=unconfined/,
    },
    {
      name: "seccomp:unconfined (old syntax)",
      tf: { security_opts: ["no-new-privileges", "seccomp:unconfined"] },
      status: "fail",
    },
  ]);
});

describe("CIS-5.26 no-new-privileges", () => {
  ruleCases(CIS_5_26_NO_NEW_PRIVILEGES, [
    { name: "no-new-privileges:true", raw: {}, tf: {}, status: "pass" },
    { name: "no-new-privileges", tf: { security_opts: ["no-new-privileges"] }, status: "pass" },
    {
      name: "no-new-privileges=true",
      raw: { config: { securityOpts: ["no-new-privileges=true"] } },
      status: "pass",
    },
    {
      name: "no option",
      raw: { config: { securityOpts: undefined } },
      tf: { security_opts: [] },
      status: "fail",
      message: /no no-new-privileges security option/,
    },
    {
      name: "no-new-privileges:false",
      raw: { config: { securityOpts: ["no-new-privileges:false"] } },
      // Beside :true, the provider sends :false first and Docker applies :true (confinement.test.ts).
      tf: { security_opts: ["no-new-privileges:false"] },
      status: "fail",
      message: /"no-new-privileges:false"/,
    },
    {
      name: "a misspelled value",
      tf: { security_opts: ["no-new-privileges:yes"] },
      status: "fail",
    },
  ]);
});
