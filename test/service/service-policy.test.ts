import { HardenedService, Relax, blockingFindings, checkStack } from "../../lib";
import { SERVICE_NOT_ENFORCEABLE } from "../../lib/policy/service-limits";
import { testClock } from "../support/hardened-synth";
import { dbPassword, dockerStack, serviceProps } from "../support/swarm-synth";

const REASON = "the public load balancer reaches the node on every interface";

function findingsOf(overrides: Parameters<typeof serviceProps>[1] = {}) {
  const stack = dockerStack();
  new HardenedService(stack, "api", serviceProps(stack, overrides));
  return checkStack(stack, { clock: testClock });
}

describe("the rule pack on a HardenedService", () => {
  const all = findingsOf();
  // The stack's overlay network is judged by the network rules; the rest are the service's.
  const findings = all.filter((f) => !f.resource.startsWith("docker_network."));
  const status = (ruleId: string) => findings.find((f) => f.ruleId === ruleId)?.status;

  test("checks the docker_service as a service resource", () => {
    expect(new Set(findings.map((f) => f.resource))).toEqual(
      new Set(["docker_service.api_service_298EA376"]),
    );
    expect(findings[0].constructPath).toBe("stack/api/service");
  });

  test("its overlay network is judged by the network rules: encrypted, so it passes", () => {
    const network = all.filter((f) => f.resource.startsWith("docker_network."));
    expect(network.map((f) => [f.ruleId, f.status]).sort()).toEqual([
      ["HD-BRIDGE-ICC", "not-applicable"],
      ["HD-OVERLAY-ENCRYPTED", "pass"],
    ]);
  });

  test("nothing blocks and nothing fails", () => {
    expect(blockingFindings(all)).toEqual([]);
    expect(findings.filter((f) => f.status === "fail" || f.status === "unknown")).toEqual([]);
  });

  test("what the provider cannot express is not-applicable, with the reason", () => {
    const notApplicable = Object.fromEntries(
      findings.filter((f) => f.status === "not-applicable").map((f) => [f.ruleId, f.message]),
    );
    expect(Object.keys(notApplicable).sort()).toEqual(
      [
        // No allowlist configured, AppArmor / SELinux unknown, processes not read: as for a container.
        "CIS-4.2",
        "CIS-5.2",
        "CIS-5.3",
        "CIS-5.7",
        // No trusted key given: signatures are checked by audit --host --trusted-key.
        "HD-IMAGE-SIGNED",
        "CIS-5.19",
        "CIS-5.26",
        "CIS-5.29",
        "HD-MEMORY-SWAP",
        "HD-SECCOMP-DENYLIST",
        "HD-TMPFS-OPTIONS",
      ].sort(),
    );
    expect(notApplicable["CIS-5.26"]).toBe(
      `not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.noNewPrivileges}`,
    );
    expect(notApplicable["CIS-5.29"]).toBe(
      `not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.pidsLimit}`,
    );
    expect(notApplicable["HD-SECCOMP-DENYLIST"]).toMatch(/cannot carry a custom seccomp profile/);
  });

  test("what it can express passes", () => {
    for (const ruleId of [
      "CIS-4.1",
      "CIS-4.5",
      "CIS-4.6",
      "CIS-5.4",
      "CIS-5.5",
      "CIS-5.11",
      "CIS-5.12",
      "CIS-5.13",
      "CIS-5.14",
      "CIS-5.15",
      "CIS-5.22",
      "CIS-5.27",
      "CIS-5.30",
      "HD-LOG-ROTATION",
      "HD-AUDIT-LABELS",
      "HD-EXPIRES",
    ]) {
      expect([ruleId, status(ruleId)]).toEqual([ruleId, "pass"]);
    }
  });

  test("a published port fails CIS-5.14 and is suppressed by its reasoned relaxation", () => {
    const withPort = findingsOf({
      ports: [{ internal: 8080, external: 18080 }],
      relaxations: [Relax.publishOnAllInterfaces(REASON)],
    });
    const finding = withPort.find((f) => f.ruleId === "CIS-5.14");
    expect(finding?.status).toBe("suppressed");
    expect(finding?.suppression?.reason).toContain(REASON);
    expect(finding?.message).toMatch(/Swarm publishes every port on all of a node's interfaces/);
  });

  test("a secret mounted as a file changes no verdict", () => {
    const stack = dockerStack();
    new HardenedService(
      stack,
      "api",
      serviceProps(stack, { secrets: [{ secret: dbPassword(stack), fileName: "db-password" }] }),
    );
    expect(blockingFindings(checkStack(stack, { clock: testClock }))).toEqual([]);
  });
});

describe("a HardenedService relaxation waives only the values it names", () => {
  const why = "the VPN gateway must configure routes inside its namespace";

  test("Relax.addCapabilities waives NET_ADMIN, not a SYS_ADMIN added by an override", () => {
    const stack = dockerStack();
    const service = new HardenedService(
      stack,
      "api",
      serviceProps(stack, { relaxations: [Relax.addCapabilities(["NET_ADMIN"], why)] }),
    );
    const before = checkStack(stack, { clock: testClock }).find((f) => f.ruleId === "CIS-5.4");
    expect(before?.status).toBe("suppressed");
    service.service.addOverride("task_spec.container_spec.cap_add", ["NET_ADMIN", "SYS_ADMIN"]);
    const after = checkStack(stack, { clock: testClock }).find((f) => f.ruleId === "CIS-5.4");
    expect(after?.status).toBe("fail");
    expect(after?.message).toContain('not covered: capability "SYS_ADMIN"');
  });
});
