import { CIS_5_11_MEMORY_LIMIT } from "../../../lib/policy/rules/cis-5-11-memory-limit";
import { CIS_5_12_CPU_PRIORITY } from "../../../lib/policy/rules/cis-5-12-cpu-priority";
import { CIS_5_19_ULIMITS } from "../../../lib/policy/rules/cis-5-19-ulimits";
import { CIS_5_29_PIDS_LIMIT } from "../../../lib/policy/rules/cis-5-29-pids-limit";
import { modelFromInspect } from "../../../lib/host/inspect";
import { check, containerBody, fixture, modelOf, ruleCases } from "./support/policy-harness";
import { inspectOf } from "./support/inspect-fixtures";

describe("CIS-5.11 memory limit", () => {
  ruleCases(CIS_5_11_MEMORY_LIMIT, [
    { name: "memory 256 MB", raw: {}, tf: {}, status: "pass", message: /268435456 bytes/ },
    {
      name: 'memory "64" given as a string',
      tf: { memory: "64" },
      status: "pass",
      message: /67108864 bytes/,
    },
    {
      name: "no memory limit",
      raw: { config: { memory: undefined } },
      tf: { memory: undefined },
      status: "fail",
    },
    { name: "memory 0", tf: { memory: 0 }, status: "fail" },
    {
      name: "memory from a variable",
      tf: { memory: "${var.memory}" },
      status: "unknown",
      message: /memory is only known at apply time/,
    },
  ]);
});

describe("CIS-5.12 CPU priority", () => {
  ruleCases(CIS_5_12_CPU_PRIORITY, [
    { name: "cpu_shares 512", raw: {}, tf: {}, status: "pass", message: /CPU shares are 512/ },
    {
      name: "only cpus (CpuQuota, which CIS does not count)",
      raw: { config: { cpuShares: undefined } },
      tf: { cpu_shares: undefined },
      status: "fail",
      message: /CPU quota \(`cpus`\) is set but does not count/,
    },
    {
      name: "neither",
      raw: { config: { cpuShares: undefined, cpus: undefined } },
      status: "fail",
      message: /^neither CpuShares nor NanoCpus is set$/,
    },
  ]);

  it("passes a live container with NanoCpus only", () => {
    const model = modelFromInspect(
      inspectOf({ HostConfig: { CpuShares: 0, NanoCpus: 500_000_000 } }),
    );
    expect(check(CIS_5_12_CPU_PRIORITY, model).status).toBe("pass");
  });
});

describe("CIS-5.19 ulimits", () => {
  it("is reported at level info", () => expect(CIS_5_19_ULIMITS.level).toBe("info"));
  ruleCases(CIS_5_19_ULIMITS, [
    { name: "nofile set", raw: {}, tf: {}, status: "pass", message: /nofile=1024:1024/ },
    {
      name: "no ulimit",
      raw: { config: { ulimit: undefined } },
      tf: { ulimit: undefined },
      status: "fail",
    },
    {
      name: "ulimit with a wrong soft value",
      tf: { ulimit: [{ name: "nofile", soft: [1], hard: 1 }] },
      status: "unknown",
      message: /ulimit\[0\]\.soft should be a number but is a list of 1/,
    },
  ]);
});

describe("CIS-5.29 PIDs limit", () => {
  ruleCases(CIS_5_29_PIDS_LIMIT, [
    {
      name: "a PIDs-limit step for 128",
      raw: {},
      tf: {},
      status: "pass",
      message: /PIDs limit is 128/,
    },
    { name: "a PIDs-limit step for 0 (unlimited)", raw: { pidsLimit: 0 }, status: "fail" },
    {
      name: "no PIDs-limit step",
      raw: { pidsLimit: false },
      status: "fail",
      message: /no PIDs-limit step targets this container/,
    },
  ]);

  it("fails when the fixture's step is removed, or targets another container", () => {
    const stack = fixture("compliant.tf.json");
    const steps = (stack.resource as Record<string, Record<string, unknown>>).terraform_data;
    const step = steps["api_pids-limit_5E6F7A8B"] as {
      provisioner: { "local-exec": { command: string } }[];
    };
    step.provisioner[0]["local-exec"].command =
      "docker update --pids-limit 128 ${docker_container.other.id}";
    expect(check(CIS_5_29_PIDS_LIMIT, modelOf(stack)).status).toBe("fail");
    delete steps["api_pids-limit_5E6F7A8B"];
    expect(check(CIS_5_29_PIDS_LIMIT, modelOf(stack)).status).toBe("fail");
  });

  it("does not trust a step that only looks like one (input without the command)", () => {
    const stack = fixture("compliant.tf.json");
    const step = (stack.resource as Record<string, Record<string, Record<string, unknown>>>)
      .terraform_data["api_pids-limit_5E6F7A8B"];
    step.provisioner = [{ "local-exec": { command: "echo docker update --pids-limit 128" } }];
    containerBody(stack).labels = [{ label: "io.hardened-docker.pids-limit", value: "128" }];
    expect(check(CIS_5_29_PIDS_LIMIT, modelOf(stack)).status).toBe("fail");
  });

  it("is unknown when two steps set different limits", () => {
    const stack = fixture("compliant.tf.json");
    const steps = (stack.resource as Record<string, Record<string, unknown>>).terraform_data;
    steps.second = {
      triggers_replace: { container_id: "${docker_container.api_container_1A2B3C4D.id}" },
      provisioner: [
        {
          "local-exec": {
            command: "docker update --pids-limit 64 ${docker_container.api_container_1A2B3C4D.id}",
          },
        },
      ],
    };
    expect(check(CIS_5_29_PIDS_LIMIT, modelOf(stack))).toEqual({
      status: "unknown",
      message:
        "several PIDs-limit steps (terraform_data) set different limits on this container: 128, 64",
    });
  });

  it.each([[null], [0], [-1]])("fails a live container with PidsLimit %p (unlimited)", (limit) => {
    expect(
      check(CIS_5_29_PIDS_LIMIT, modelFromInspect(inspectOf({ HostConfig: { PidsLimit: limit } })))
        .status,
    ).toBe("fail");
  });
});
