import { CIS_5_2_APPARMOR } from "../../../lib/policy/rules/cis-5-2-apparmor";
import { CIS_5_3_SELINUX } from "../../../lib/policy/rules/cis-5-3-selinux";
import { modelFromInspect } from "../../../lib/host/inspect";
import { check, ruleCases } from "./support/policy-harness";
import { inspectOf } from "./support/inspect-fixtures";

const apparmorHost = { hostHasAppArmor: true };
const selinuxHost = { hostHasSELinux: true };

describe("CIS-5.2 AppArmor", () => {
  ruleCases(CIS_5_2_APPARMOR, [
    {
      name: "synthesized input, host unknown",
      raw: {},
      tf: {},
      status: "not-applicable",
      message: /decided on the host, not in configuration/,
    },
    {
      name: "host without AppArmor",
      tf: { security_opts: ["no-new-privileges:true"] },
      context: { hostHasAppArmor: false },
      status: "not-applicable",
      message: /^not applicable: the host does not run AppArmor$/,
    },
    {
      name: "explicit apparmor=unconfined on a host without AppArmor (the same config may reach one)",
      tf: { security_opts: ["apparmor=unconfined"] },
      context: { hostHasAppArmor: false },
      status: "fail",
      message: /apparmor=unconfined disables AppArmor/,
    },
    {
      name: "explicit apparmor:unconfined where the host is unknown (synthesized input)",
      tf: { security_opts: ["apparmor:unconfined"] },
      status: "fail",
    },
    {
      name: "AppArmor host, Docker's default profile",
      raw: {},
      tf: {},
      context: apparmorHost,
      status: "pass",
      message: /docker-default/,
    },
    {
      name: "AppArmor host, apparmor=unconfined",
      raw: { config: { securityOpts: ["no-new-privileges:true", "apparmor=unconfined"] } },
      tf: { security_opts: ["apparmor=unconfined"] },
      context: apparmorHost,
      status: "fail",
      message: /disables AppArmor/,
    },
    {
      name: "AppArmor host, privileged",
      raw: { config: { privileged: true } },
      context: apparmorHost,
      status: "fail",
      message: /privileged/,
    },
  ]);

  it("reads .AppArmorProfile on a live container", () => {
    const confined = modelFromInspect(inspectOf({ AppArmorProfile: "docker-default" }));
    const unconfined = modelFromInspect(inspectOf({ AppArmorProfile: "unconfined" }));
    const empty = modelFromInspect(inspectOf({ AppArmorProfile: "" }));
    expect(check(CIS_5_2_APPARMOR, confined, apparmorHost).status).toBe("pass");
    expect(check(CIS_5_2_APPARMOR, unconfined, apparmorHost).status).toBe("fail");
    expect(check(CIS_5_2_APPARMOR, empty, apparmorHost).status).toBe("fail");
    expect(check(CIS_5_2_APPARMOR, empty, { hostHasAppArmor: false }).status).toBe(
      "not-applicable",
    );
  });
});

describe("CIS-5.3 SELinux", () => {
  ruleCases(CIS_5_3_SELINUX, [
    {
      name: "synthesized input, host unknown",
      raw: {},
      tf: {},
      status: "not-applicable",
      message: /decided on the host/,
    },
    {
      name: "host without SELinux",
      tf: {},
      context: { hostHasSELinux: false },
      status: "not-applicable",
      message: /^not applicable: the host does not run SELinux$/,
    },
    {
      name: "SELinux host with a label option",
      raw: { config: { securityOpts: ["no-new-privileges:true", "label=type:svirt_apache_t"] } },
      tf: { security_opts: ["label=level:s0:c100,c200"] },
      context: selinuxHost,
      status: "pass",
    },
    {
      name: "SELinux host without a label option",
      raw: {},
      tf: {},
      context: selinuxHost,
      status: "fail",
      message: /no label= security option/,
    },
    {
      name: "SELinux host with label=disable",
      tf: { security_opts: ["label=disable"] },
      context: selinuxHost,
      status: "fail",
      message: /disabled/,
    },
  ]);
});
