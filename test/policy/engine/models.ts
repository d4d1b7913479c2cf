import { ContainerModel } from "../../../lib/policy/model";
import { Rule, RuleContext } from "../../../lib/policy/rule";

/** A synthesized container model with hardened values; override what a test is about. */
export function containerModel(overrides: Partial<ContainerModel> = {}): ContainerModel {
  return {
    source: "terraform",
    kind: "container",
    resource: "docker_container.web",
    constructPath: "app-stack/web/container",
    name: "web",
    image: {
      reference: `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`,
      pinnedByDigest: true,
      repository: "127.0.0.1:5000/hd/web",
    },
    user: "65534:65534",
    privileged: false,
    capAdd: [],
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges:true"],
    unmaskedSystemPaths: [],
    readOnlyRootfs: true,
    mounts: [],
    ports: [],
    networkMode: "none",
    networks: [],
    pidMode: "",
    ipcMode: "",
    utsMode: "",
    usernsMode: "",
    cgroupParent: "",
    devices: [],
    memoryBytes: 268435456,
    memorySwapBytes: 268435456,
    cpuShares: 512,
    nanoCpus: 0,
    cpuQuota: 50000,
    cpuPeriod: 100000,
    pidsLimit: 128,
    ulimits: [],
    restartPolicy: { name: "on-failure", maximumRetryCount: 5 },
    healthcheck: { test: ["CMD", "/bin/healthcheck"] },
    logConfig: { type: "json-file", options: { "max-size": "10m", "max-file": "3" } },
    labels: {},
    init: true,
    groupAdd: [],
    sysctls: {},
    cgroupnsMode: "",
    runtime: "",
    gpus: [],
    env: [],
    ...overrides,
  };
}

/** A small rule: privileged must be false (unknown when the model does not know). */
export const privilegedRule: Rule = {
  id: "CIS-5.5",
  title: "Ensure that privileged containers are not used",
  level: "error",
  rationale: "A privileged container has every capability and all host devices.",
  remediation: "Remove `privileged`; HardenedContainer never sets it.",
  check: (c) =>
    typeof c.privileged !== "boolean"
      ? { status: "unknown", message: c.privileged.explanation }
      : c.privileged
        ? { status: "fail", message: "privileged is true" }
        : { status: "pass", message: "privileged is false" },
};

/** A rule on added capabilities, waivable by the addCapabilities relaxation. */
export const capAddRule: Rule = {
  id: "CIS-5.4",
  title: "Ensure that Linux kernel capabilities are restricted within containers",
  level: "error",
  rationale: "Capabilities beyond the default set widen what a compromised process can do.",
  remediation: "Drop the capability, or add it with Relax.addCapabilities and a reason.",
  check: (c) =>
    Array.isArray(c.capAdd) && c.capAdd.length > 0
      ? { status: "fail", message: `adds ${c.capAdd.join(", ")}` }
      : { status: "pass", message: "adds no capability" },
};

/** A warning-level rule that only applies when ports are published. */
export const portsRule: Rule = {
  id: "CIS-5.14",
  title: "Ensure that incoming container traffic is bound to a specific host interface",
  level: "warning",
  rationale: "A port published on 0.0.0.0 is reachable from every network of the host.",
  remediation: "Publish on 127.0.0.1 or a specific address.",
  check: (c) => {
    if (!Array.isArray(c.ports) || c.ports.length === 0) {
      return { status: "not-applicable", message: "no published ports" };
    }
    const open = c.ports.filter((p) => p.hostIp === "0.0.0.0");
    return open.length > 0
      ? { status: "fail", message: `${open.length} port(s) bound to 0.0.0.0` }
      : { status: "pass", message: "every port bound to a specific address" };
  },
};

export const context: RuleContext = { now: new Date("2026-03-15T12:00:00Z") };
