import { CIS_5_13_READ_ONLY_ROOTFS } from "../../../lib/policy/rules/cis-5-13-read-only-rootfs";
import { CIS_5_15_RESTART_POLICY } from "../../../lib/policy/rules/cis-5-15-restart-policy";
import { CIS_5_18_HOST_DEVICES } from "../../../lib/policy/rules/cis-5-18-host-devices";
import { CIS_5_25_CGROUP_PARENT } from "../../../lib/policy/rules/cis-5-25-cgroup-parent";
import { ruleCases } from "./support/policy-harness";

describe("CIS-5.13 read-only root filesystem", () => {
  ruleCases(CIS_5_13_READ_ONLY_ROOTFS, [
    { name: "read_only true", raw: {}, tf: {}, status: "pass" },
    {
      name: "read_only not set (provider default false)",
      raw: { config: { readOnly: undefined } },
      tf: { read_only: undefined },
      status: "fail",
      message: /writable/,
    },
    { name: 'read_only "false"', tf: { read_only: "false" }, status: "fail" },
  ]);
});

describe("CIS-5.15 restart policy", () => {
  ruleCases(CIS_5_15_RESTART_POLICY, [
    { name: "on-failure, 3 retries", raw: {}, status: "pass", message: /at most 3 restarts/ },
    { name: "on-failure, 5 retries", tf: {}, status: "pass" },
    {
      name: "restart not set (provider default no)",
      raw: { config: { restart: undefined, maxRetryCount: undefined } },
      tf: { restart: undefined },
      status: "fail",
      message: /"no"/,
    },
    {
      name: "always",
      raw: { config: { restart: "always" } },
      tf: { restart: "unless-stopped" },
      status: "fail",
    },
    {
      name: "on-failure, 6 retries",
      tf: { max_retry_count: 6 },
      status: "fail",
      message: /more than 5/,
    },
    {
      name: "on-failure without a maximum (unlimited)",
      raw: { config: { maxRetryCount: undefined } },
      tf: { max_retry_count: 0 },
      status: "fail",
      message: /without limit/,
    },
  ]);
});

describe("CIS-5.18 host devices", () => {
  ruleCases(CIS_5_18_HOST_DEVICES, [
    { name: "no devices", raw: {}, tf: {}, status: "pass" },
    {
      name: "/dev/sda mapped",
      raw: { config: { devices: [{ hostPath: "/dev/sda" }] } },
      tf: { devices: [{ host_path: "/dev/kvm" }] },
      status: "fail",
      message: /\/dev\/(sda|kvm)/,
    },
  ]);
});

describe("CIS-5.25 cgroup parent", () => {
  ruleCases(CIS_5_25_CGROUP_PARENT, [
    { name: "default cgroup parent", raw: {}, tf: {}, status: "pass" },
    {
      name: "a custom cgroup parent",
      raw: { config: { cgroupParent: "/custom" } },
      tf: { cgroup_parent: "/custom" },
      status: "fail",
      message: /"\/custom"/,
    },
  ]);
});
