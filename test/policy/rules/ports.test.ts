import { CIS_5_8_PRIVILEGED_PORTS } from "../../../lib/policy/rules/cis-5-8-privileged-ports";
import { CIS_5_14_HOST_INTERFACE } from "../../../lib/policy/rules/cis-5-14-host-interface";
import { ruleCases } from "./support/policy-harness";

describe("CIS-5.8 privileged host ports", () => {
  ruleCases(CIS_5_8_PRIVILEGED_PORTS, [
    { name: "host port 18080", raw: {}, tf: {}, status: "pass", message: /above 1024/ },
    {
      name: "no ports",
      raw: { config: { ports: undefined } },
      tf: { ports: undefined },
      status: "pass",
      message: /publishes no ports/,
    },
    {
      name: "host port 0 (ephemeral)",
      tf: { ports: [{ internal: 80, external: 0, ip: "127.0.0.1" }] },
      status: "pass",
    },
    {
      name: "no external port (ephemeral)",
      raw: { config: { ports: [{ internal: 80, ip: "127.0.0.1" }] } },
      status: "pass",
    },
    {
      name: "host port 1025",
      tf: { ports: [{ internal: 80, external: 1025, ip: "127.0.0.1" }] },
      status: "pass",
    },
    {
      name: "host port 443",
      raw: { config: { ports: [{ internal: 8443, external: 443, ip: "127.0.0.1" }] } },
      tf: { ports: [{ internal: 8443, external: "443", ip: "127.0.0.1" }] },
      status: "fail",
      message: /127\.0\.0\.1:443->8443\/tcp/,
    },
    {
      name: "host port 1024",
      tf: { ports: [{ internal: 80, external: 1024, ip: "127.0.0.1" }] },
      status: "fail",
    },
    {
      name: "publish_all_ports",
      raw: { config: { publishAllPorts: true } },
      status: "unknown",
      message: /publish_all_ports is true/,
    },
  ]);
});

describe("CIS-5.14 host interface", () => {
  ruleCases(CIS_5_14_HOST_INTERFACE, [
    { name: "bound to 127.0.0.1", raw: {}, tf: {}, status: "pass", message: /"127\.0\.0\.1"/ },
    {
      name: "no ports",
      raw: { config: { ports: undefined } },
      tf: { ports: undefined },
      status: "pass",
    },
    {
      name: "no ip (the provider publishes on 0.0.0.0)",
      raw: { config: { ports: [{ internal: 8080, external: 18080 }] } },
      tf: { ports: [{ internal: 8080, external: 18080 }] },
      status: "fail",
      message: /0\.0\.0\.0:18080->8080\/tcp/,
    },
    {
      name: "ip 0.0.0.0",
      tf: { ports: [{ internal: 8080, external: 18080, ip: "0.0.0.0" }] },
      status: "fail",
    },
    {
      name: "ip ::",
      raw: { config: { ports: [{ internal: 8080, external: 18080, ip: "::" }] } },
      status: "fail",
    },
    {
      name: "ip from a variable",
      tf: { ports: [{ internal: 8080, external: 18080, ip: "${var.ip}" }] },
      status: "unknown",
      message: /ports\[0\]\.ip is only known at apply time/,
    },
  ]);
});
