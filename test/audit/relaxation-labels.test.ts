import { decodeRelaxationLabels, encodeRelaxationLabels } from "../../lib/policy/waiver-codec";
import { Relax, Relaxation } from "../../lib/policy/relaxations";
import { readContainerSummary } from "../../lib/host/container-summary";
import { buildInventory } from "../../lib/host/inventory";
import { baseProps, labelsOf, synthHardened } from "../support/hardened-synth";

const WHY = "the legacy agent needs this until the rewrite ships";

const EVERY_KIND: Relaxation[] = [
  Relax.addCapabilities(["NET_ADMIN", "NET_RAW"], WHY),
  Relax.runAsRoot(WHY, "0:0"),
  Relax.privilegedPorts([80, 443], WHY),
  Relax.publishOnAllInterfaces(WHY),
  Relax.writableRootFilesystem(WHY),
  Relax.writableBindMount(["/var/lib/app"], WHY),
  Relax.executableTmpfs(["/var/cache/app"], WHY),
  Relax.allowSyscalls(["ptrace"], WHY),
  Relax.noHealthcheck(WHY),
  Relax.untrustedRegistry(WHY),
];

describe("the relaxation label codec", () => {
  it("decodes what it encodes, for every kind of relaxation", () => {
    const decoded = decodeRelaxationLabels(encodeRelaxationLabels(EVERY_KIND));
    expect(decoded.problems).toEqual([]);
    expect(decoded.relaxations.map((r) => r.problems)).toEqual(EVERY_KIND.map(() => []));
    const byKind = new Map(decoded.relaxations.map((r) => [r.kind, r.relaxation]));
    for (const r of EVERY_KIND) expect(byKind.get(r.kind)).toEqual(r);
  });

  it("does not count a relaxation whose kind names values but whose labels name none", () => {
    const labels = encodeRelaxationLabels([Relax.addCapabilities(["SYS_ADMIN"], WHY)]);
    delete labels["io.hardened-docker.relaxation.addCapabilities.detail"];
    const [only] = decodeRelaxationLabels(labels).relaxations;
    expect(only?.relaxation).toBeUndefined();
    expect(only?.problems.join("\n")).toContain("names no values");
  });

  it("does not count values the relaxation cannot name (ALL, a port out of range)", () => {
    const decoded = decodeRelaxationLabels({
      "io.hardened-docker.relaxation.addCapabilities": WHY,
      "io.hardened-docker.relaxation.addCapabilities.detail": "ALL",
      "io.hardened-docker.relaxation.privilegedPorts": WHY,
      "io.hardened-docker.relaxation.privilegedPorts.detail": "80,99999",
    });
    expect(decoded.relaxations.map((r) => [r.kind, r.relaxation])).toEqual([
      ["addCapabilities", undefined],
      ["privilegedPorts", undefined],
    ]);
  });

  it("is what HardenedContainer writes: one relaxation per kind, named values included", () => {
    const { container } = synthHardened(
      baseProps({
        relaxations: [
          Relax.addCapabilities(["NET_ADMIN"], WHY),
          Relax.executableTmpfs(["/var/cache/app/"], WHY),
        ],
        tmpfs: [{ path: "/var/cache/app" }],
      }),
    );
    const decoded = decodeRelaxationLabels(labelsOf(container));
    expect(decoded.relaxations.map((r) => [r.kind, r.names, r.problems])).toEqual([
      ["addCapabilities", ["NET_ADMIN"], []],
      // Paths are recorded as the container mounts them.
      ["executableTmpfs", ["/var/cache/app"], []],
    ]);
  });
});

describe("the inventory reads relaxations through the codec", () => {
  it("lists the relaxations a HardenedContainer declared, and no other (not addCapabilities.detail)", () => {
    const { container } = synthHardened(
      baseProps({ relaxations: [Relax.addCapabilities(["NET_ADMIN"], WHY)] }),
    );
    const summary = readContainerSummary(
      {
        Id: "a".repeat(64),
        Names: ["/api"],
        Image: `registry.example.com/payments/api@sha256:${"ab".repeat(32)}`,
        State: "running",
        Created: 1_767_225_600,
        Labels: labelsOf(container),
      },
      0,
    );
    const report = buildInventory([summary], {
      now: new Date("2026-03-15T12:00:00Z"),
      withinDays: 30,
    });
    const entry = report.containers[0];
    expect(entry?.relaxations).toEqual([
      {
        kind: "addCapabilities",
        reason: WHY,
        rules: ["CIS-5.4"],
        names: ["NET_ADMIN"],
        valid: true,
      },
    ]);
    expect(entry?.flags).not.toContain("invalid-label");
  });
});
