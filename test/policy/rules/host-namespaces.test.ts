import { CIS_5_10_HOST_NETWORK } from "../../../lib/policy/rules/cis-5-10-host-network";
import { CIS_5_16_HOST_PID } from "../../../lib/policy/rules/cis-5-16-host-pid";
import { CIS_5_17_HOST_IPC } from "../../../lib/policy/rules/cis-5-17-host-ipc";
import { CIS_5_21_HOST_UTS } from "../../../lib/policy/rules/cis-5-21-host-uts";
import { CIS_5_31_HOST_USERNS } from "../../../lib/policy/rules/cis-5-31-host-userns";
import { modelFromInspect } from "../../../lib/host/inspect";
import { check, ruleCases } from "./support/policy-harness";
import { inspectOf } from "./support/inspect-fixtures";

describe("CIS-5.10 host network", () => {
  ruleCases(CIS_5_10_HOST_NETWORK, [
    { name: "network mode none", raw: {}, tf: {}, status: "pass" },
    {
      name: "network mode host",
      raw: { config: { networkMode: "host" } },
      tf: { network_mode: "host" },
      status: "fail",
      message: /shares the host's network namespace/,
    },
  ]);
});

describe("CIS-5.16 host PID", () => {
  ruleCases(CIS_5_16_HOST_PID, [
    { name: "pid_mode not set", raw: {}, tf: {}, status: "pass", message: /own PID namespace/ },
    {
      name: "pid_mode host",
      raw: { config: { pidMode: "host" } },
      tf: { pid_mode: "host" },
      status: "fail",
    },
  ]);
});

describe("CIS-5.17 host IPC", () => {
  ruleCases(CIS_5_17_HOST_IPC, [
    {
      name: "ipc_mode not set (the daemon's private)",
      raw: {},
      tf: {},
      status: "pass",
      message: /"private"/,
    },
    {
      name: "ipc_mode host",
      raw: { config: { ipcMode: "host" } },
      tf: { ipc_mode: "host" },
      status: "fail",
    },
  ]);
});

describe("CIS-5.31 host user namespace", () => {
  ruleCases(CIS_5_31_HOST_USERNS, [
    { name: "userns_mode not set", raw: {}, tf: {}, status: "pass" },
    {
      name: "userns_mode host",
      raw: { config: { usernsMode: "host" } },
      tf: { userns_mode: "host" },
      status: "fail",
    },
  ]);
});

describe("CIS-5.21 host UTS", () => {
  // The provider has no uts_mode attribute: synthesized containers always get their own.
  ruleCases(CIS_5_21_HOST_UTS, [
    { name: "synthesized container", raw: {}, tf: {}, status: "pass" },
  ]);

  it("fails a live container with UTSMode host", () => {
    const model = modelFromInspect(inspectOf({ HostConfig: { UTSMode: "host" } }));
    expect(check(CIS_5_21_HOST_UTS, model).status).toBe("fail");
  });
});
