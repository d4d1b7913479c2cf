import { modelFromServiceSpec } from "../../../lib/host/service-spec";
import { DEFAULT_RULES } from "../../../lib/policy/pack";
import { isUnknown } from "../../../lib/policy/unknown";
import { NOW } from "../rules/support/policy-harness";
import { NETWORK_ID, NETWORK_NAMES, hardenedServiceInspect } from "./service-fixtures";

type Json = Record<string, unknown>;

function verdict(ruleId: string, inspect: Json) {
  const rule = DEFAULT_RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.check(modelFromServiceSpec(inspect, { networkNames: NETWORK_NAMES }), { now: NOW });
}

/** The hardened service's inspect JSON with its ContainerSpec / TaskTemplate patched. */
function patched(patch: { container?: Json; task?: Json }): Json {
  const inspect = hardenedServiceInspect();
  const spec = inspect.Spec as Json;
  const task = spec.TaskTemplate as Json;
  Object.assign(task.ContainerSpec as Json, patch.container ?? {});
  Object.assign(task, patch.task ?? {});
  return inspect;
}

describe("the live service spec adapter", () => {
  test("reads the hardened service's settings", () => {
    const model = modelFromServiceSpec(hardenedServiceInspect(), { networkNames: NETWORK_NAMES });
    expect(model).toMatchObject({
      source: "service-spec",
      kind: "service",
      resource: "service:stack-api",
      name: "stack-api",
      user: "65534:65534",
      capDrop: ["ALL"],
      readOnlyRootfs: true,
      memoryBytes: 256 * 1024 * 1024,
      nanoCpus: 500_000_000,
      restartPolicy: { name: "on-failure", maximumRetryCount: 5 },
      networks: ["stack-backend"],
      ports: [{ containerPort: 8080, hostPort: 18080, hostIp: "0.0.0.0", protocol: "tcp" }],
    });
  });

  test("a network ID without a known name is kept as is", () => {
    const model = modelFromServiceSpec(hardenedServiceInspect());
    expect(model.networks).toEqual([NETWORK_ID]);
  });

  test("a service on no network is on the node's default bridge: CIS-5.30 fails", () => {
    expect(verdict("CIS-5.30", patched({ task: { Networks: [] } })).status).toBe("fail");
  });

  test("settings the provider cannot write are not applicable, with the reason", () => {
    for (const [ruleId, words] of [
      ["CIS-5.26", /privileges holds only credential_spec and se_linux_context/],
      ["CIS-5.29", /limits holds only memory_bytes and nano_cpus/],
      ["CIS-5.19", /no ulimit block/],
      ["HD-SECCOMP-DENYLIST", /Docker's default profile applies/],
      ["HD-MEMORY-SWAP", /turn swap off on the Swarm nodes/],
      ["HD-TMPFS-OPTIONS", /tmpfs_options holds only size_bytes and mode/],
    ] as const) {
      const v = verdict(ruleId, hardenedServiceInspect());
      expect([ruleId, v.status]).toEqual([ruleId, "not-applicable"]);
      expect(v.message).toMatch(/^not enforceable on a service/);
      expect(v.message).toMatch(words);
    }
  });

  test("a live spec that does set them (newer engines) passes instead", () => {
    const inspect = patched({
      container: {
        Privileges: { NoNewPrivileges: true, Seccomp: { Mode: "default" } },
        Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 1024 }],
      },
      task: { Resources: { Limits: { MemoryBytes: 268435456, NanoCPUs: 500000000, Pids: 128 } } },
    });
    expect(verdict("CIS-5.26", inspect).status).toBe("pass");
    expect(verdict("CIS-5.29", inspect)).toEqual({ status: "pass", message: "PIDs limit is 128" });
    expect(verdict("CIS-5.19", inspect).status).toBe("pass");
  });

  test("seccomp unconfined in the live spec fails CIS-5.22", () => {
    const inspect = patched({ container: { Privileges: { Seccomp: { Mode: "unconfined" } } } });
    expect(verdict("CIS-5.22", inspect).status).toBe("fail");
  });

  test("a custom seccomp profile in the live spec is checked by HD-SECCOMP-DENYLIST", () => {
    const profile = Buffer.from(JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW" })).toString(
      "base64",
    );
    const inspect = patched({
      container: { Privileges: { Seccomp: { Mode: "custom", Profile: profile } } },
    });
    expect(verdict("HD-SECCOMP-DENYLIST", inspect).status).toBe("fail");
  });

  test("an SELinux context becomes label= options", () => {
    const inspect = patched({
      container: { Privileges: { SELinuxContext: { Type: "svirt_apache_t", Level: "s0:c1" } } },
    });
    expect(modelFromServiceSpec(inspect).securityOpt).toEqual([
      "label=level:s0:c1",
      "label=type:svirt_apache_t",
    ]);
  });

  test("ports always bind every interface: CIS-5.14 fails and says why", () => {
    const v = verdict("CIS-5.14", hardenedServiceInspect());
    expect(v.status).toBe("fail");
    expect(v.message).toMatch(/endpoint_spec.ports\) have no host address/);
  });

  test.each([
    ["not an object", 42],
    ["no Spec", { ID: "x" }],
  ])("unreadable input (%s) gives unknowns, never a crash", (_what, input) => {
    const model = modelFromServiceSpec(input);
    expect(model.resource).toBe("service:(unreadable)");
    expect(isUnknown(model.user)).toBe(true);
  });

  test("a malformed field is unknown with the field's path", () => {
    const model = modelFromServiceSpec(patched({ container: { Mounts: [{ Type: "npipe" }] } }));
    expect(isUnknown(model.mounts) && model.mounts.explanation).toMatch(
      /Spec.TaskTemplate.ContainerSpec.Mounts\[0\].Type/,
    );
  });
});
