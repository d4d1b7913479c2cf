import { CIS_5_4_CAPABILITIES } from "../../../lib/policy/rules/cis-5-4-capabilities";
import { ruleCases } from "./support/policy-harness";

describe("CIS-5.4 capabilities", () => {
  ruleCases(CIS_5_4_CAPABILITIES, [
    {
      name: "drop ALL, add nothing",
      raw: {},
      tf: {},
      status: "pass",
      message: /adds no capabilities; ALL is dropped/,
    },
    {
      name: "drop ALL, add NET_BIND_SERVICE (in Docker's default set)",
      raw: { config: { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } },
      tf: { capabilities: { drop: ["ALL"], add: ["CAP_NET_BIND_SERVICE"] } },
      status: "pass",
      message: /only capabilities from Docker's default set: "NET_BIND_SERVICE"; ALL is dropped/,
    },
    {
      name: "no capabilities block at all (Docker's defaults remain, which CIS accepts)",
      raw: { config: { capabilities: undefined } },
      tf: { capabilities: undefined },
      status: "pass",
      message: /ALL is not dropped, so Docker's default capabilities remain/,
    },
    {
      name: "add SYS_ADMIN",
      raw: { config: { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } },
      tf: { capabilities: { add: ["sys_admin", "CHOWN"] } },
      status: "fail",
      message: /outside Docker's default set: "SYS_ADMIN"/,
    },
    {
      name: "add ALL",
      raw: { config: { capabilities: { add: ["ALL"] } } },
      tf: { capabilities: [{ add: ["ALL"], drop: ["ALL"] }] },
      status: "fail",
      message: /capAdd holds ALL/,
    },
    {
      name: "capabilities.add from a variable",
      tf: { capabilities: { add: "${var.caps}", drop: ["ALL"] } },
      status: "unknown",
      message: /capabilities\.add is only known at apply time: \$\{var\.caps\}/,
    },
  ]);
});
