import { HD_TMPFS_OPTIONS } from "../../../lib/policy/rules/hd-tmpfs-options";
import { ruleCases } from "./support/policy-harness";

describe("HD-TMPFS-OPTIONS", () => {
  ruleCases(HD_TMPFS_OPTIONS, [
    { name: "/tmp rw,noexec,nosuid,nodev", raw: {}, tf: {}, status: "pass", message: /"\/tmp"/ },
    {
      name: "no tmpfs",
      raw: { config: { tmpfs: undefined } },
      tf: { tmpfs: undefined },
      status: "pass",
      message: /no writable tmpfs/,
    },
    {
      name: "a read-only tmpfs needs no flags",
      tf: { tmpfs: { "/ro": "ro,size=1m" } },
      status: "pass",
    },
    {
      name: "exec overrides noexec (the last wins)",
      raw: { config: { tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,exec" } } },
      tf: { tmpfs: { "/tmp": "rw,nosuid,nodev,exec,size=1m" } },
      status: "fail",
      message: /\/tmp lacks noexec/,
    },
    {
      name: "no flags at all",
      tf: { tmpfs: { "/cache": "rw,size=1m" } },
      status: "fail",
      message: /\/cache lacks noexec,nosuid,nodev/,
    },
    {
      name: "a tmpfs mounts block cannot carry flags",
      raw: {
        config: {
          mounts: [{ type: "tmpfs", target: "/scratch", tmpfsOptions: { sizeBytes: 1048576 } }],
        },
      },
      status: "fail",
      message: /\/scratch lacks noexec,nosuid,nodev/,
    },
    {
      name: "tmpfs from a variable",
      tf: { tmpfs: "${var.tmpfs}" },
      status: "unknown",
      message: /tmpfs is only known at apply time/,
    },
  ]);
});
