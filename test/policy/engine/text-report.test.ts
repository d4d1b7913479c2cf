import { renderTextReport } from "../../../lib/policy/reports/text";
import { sampleFindings } from "./findings-fixtures";

describe("renderTextReport", () => {
  const text = renderTextReport(sampleFindings);
  const lines = text.trimEnd().split("\n");

  it("prints one docker-bench style line per rule, with the worst status as marker", () => {
    expect(lines).toContain("[WARN] 5.5  - Ensure that privileged containers are not used");
    expect(lines).toContain(
      "[INFO] 5.8  - Ensure that privileged ports are not mapped within containers",
    );
    expect(lines).toContain("[INFO] 4.1  - Ensure that a user for the container has been created");
    expect(lines).toContain(
      "[NOTE] 5.14 - Ensure that incoming container traffic is bound to a specific host interface",
    );
  });

  it("lists offending resources under their rule, indented, and no line for passes", () => {
    const at = lines.indexOf("[WARN] 5.5  - Ensure that privileged containers are not used");
    expect(lines[at + 1]).toBe("     * docker_container.legacy: privileged is true");
    expect(lines[at + 2]?.startsWith("[")).toBe(true);
    expect(text).not.toContain("privileged is false");
  });

  it("shows suppressed findings with their reason and expiry, and unknowns as unknown", () => {
    expect(lines).toContain(
      "     * docker_container.web (shop/web/container): suppressed (host port 80 is privileged); " +
        "reason: the legacy load balancer probes port 80, until 2026-06-30; " +
        "waived by construct shop/web (whole rule)",
    );
    expect(lines).toContain(
      "     * docker_container.web (shop/web/container): unknown: ${var.user} is only known at apply time",
    );
  });

  it("ends with counts, how many applicable checks pass, and the blocking result", () => {
    // The error-level unknown blocks like the failure: the gate fails closed.
    expect(lines.slice(-3)).toEqual([
      "[INFO] Checks: 4 rules on 2 containers: 2 pass, 1 fail, 1 unknown, 1 suppressed, 2 not applicable",
      "[INFO] 2 of 5 applicable checks pass",
      "[WARN] Result: 2 blocking findings (at level error or above)",
    ]);
  });

  it("says how many unknowns were let through with allowUnknown", () => {
    const let_ = renderTextReport(sampleFindings, { allowUnknown: true }).trimEnd().split("\n");
    expect(let_.slice(-2)).toEqual([
      "[WARN] Result: 1 blocking finding (at level error or above)",
      "[WARN] 1 unknown finding was let through at level error or above (allowUnknown / --allow-unknown): what they concern was not checked",
    ]);
  });

  it("counts Swarm services apart from containers", () => {
    const service = {
      ...sampleFindings[0],
      resource: "docker_service.api",
      status: "pass" as const,
    };
    const live = { ...service, resource: "service:api" };
    const counted = renderTextReport([...sampleFindings, service, live])
      .split("\n")
      .find((l) => l.startsWith("[INFO] Checks:"));
    expect(counted).toMatch(/^\[INFO\] Checks: 4 rules on 2 containers and 2 services: /);
  });

  it("is plain by default and coloured only when asked", () => {
    expect(text).not.toContain("\u001b[");
    const coloured = renderTextReport(sampleFindings, { color: true });
    expect(coloured).toContain("\u001b[1;31m[WARN]\u001b[0m 5.5  - ");
    expect(coloured).toContain("\u001b[1;31m[WARN]\u001b[0m Result:");
    expect(coloured.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")).toBe(
      text,
    );
  });

  it("says when nothing was checked", () => {
    const empty = renderTextReport([]);
    expect(empty).toContain("[INFO] No containers found: nothing was checked");
    expect(empty).toContain("[PASS] Result: no blocking findings");
  });

  it("honours failOn in the result line", () => {
    const warningFailure = [{ ...sampleFindings[1]!, level: "warning" as const }];
    expect(renderTextReport(warningFailure)).toContain(
      "[PASS] Result: no blocking findings (at level error or above)",
    );
    expect(renderTextReport(warningFailure, { failOn: "warning" })).toContain(
      "[WARN] Result: 1 blocking finding (at level warning or above)",
    );
  });
});
