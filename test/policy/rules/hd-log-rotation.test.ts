import { HD_LOG_ROTATION } from "../../../lib/policy/rules/hd-log-rotation";
import { ruleCases } from "./support/policy-harness";

describe("HD-LOG-ROTATION", () => {
  ruleCases(HD_LOG_ROTATION, [
    { name: "json-file, 10m x 3", raw: {}, tf: {}, status: "pass", message: /10m x 3/ },
    {
      name: "local driver (rotates by default)",
      raw: { config: { logDriver: "local", logOpts: undefined } },
      status: "pass",
      message: /local driver rotates/,
    },
    {
      name: "journald",
      tf: { log_driver: "journald", log_opts: undefined },
      status: "pass",
      message: /journald/,
    },
    {
      name: "no log_driver (the daemon's json-file) without options",
      raw: { config: { logDriver: undefined, logOpts: undefined } },
      tf: { log_driver: undefined, log_opts: undefined },
      status: "fail",
      message: /max-size and max-file/,
    },
    {
      name: "json-file with max-size only",
      tf: { log_opts: { "max-size": "10m" } },
      status: "fail",
      message: /valid max-file/,
    },
    {
      name: "json-file with max-size -1",
      raw: { config: { logOpts: { "max-size": "-1", "max-file": "3" } } },
      status: "fail",
    },
    {
      name: "driver none",
      tf: { log_driver: "none", log_opts: undefined },
      status: "fail",
      message: /disabled/,
    },
    {
      name: "an unknown plugin",
      tf: { log_driver: "acme/logger:1", log_opts: undefined },
      status: "unknown",
    },
    {
      name: "log_opts as a list",
      tf: { log_opts: ["max-size=10m"] },
      status: "unknown",
      message: /log_opts should be a map of strings/,
    },
  ]);
});
