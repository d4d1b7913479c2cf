import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { z } from "zod";
import * as lib from "../../lib";
import { relaxationSchema } from "../../lib/policy/relaxations";

/**
 * The package's public surface, written down: every name a team may import from
 * `cdktf-hardened-docker`. Adding, removing or renaming one is a semver decision, so this list
 * changes only on purpose. What a team writes in its code is here (the constructs and their
 * props, relaxations, the image and seccomp builders, the policy API and its reports); the
 * library's insides (zod schemas, syscall constants, adapters, engine and host helpers) are not.
 */

/** Names with a runtime value: classes, functions, constants. */
const VALUES = [
  "ContainerImage",
  "DEFAULT_NON_WAIVABLE",
  "DEFAULT_RULES",
  "DEFAULT_TEAM_POLICY",
  "HardenedContainer",
  "HardenedDockerChecks",
  "HardenedDockerValidationError",
  "HardenedNetwork",
  "HardenedService",
  "PolicyOptionsError",
  "REQUIRE_SIGNED_IMAGES_CONTEXT",
  "Relax",
  "SeccompProfile",
  "SeccompProfileError",
  "Suppressions",
  "TRUSTED_REGISTRIES_CONTEXT",
  "Unknown",
  "blockingFindings",
  "buildJsonReport",
  "buildSarifReport",
  "checkApp",
  "checkStack",
  "evaluate",
  "fixedClock",
  "isUnknown",
  "loadTeamPolicy",
  "renderJsonReport",
  "renderReport",
  "renderSarifReport",
  "renderTextReport",
  "writeReports",
];

/** Type-only names: the props and the types they reference, and the policy API's types. */
const TYPES = [
  "AddCapabilitiesRelaxation",
  "AllowSyscallsRelaxation",
  "AuditProps",
  "BlockingOptions",
  "Capability",
  "Clock",
  "ContainerModel",
  "ContainerPortProps",
  "ContainerResourceProps",
  "DataVolumeProps",
  "EvaluateOptions",
  "ExecutableTmpfsRelaxation",
  "Finding",
  "FindingSuppression",
  "HardenedContainerProps",
  "HardenedDockerChecksOptions",
  "HardenedNetworkDriver",
  "HardenedNetworkProps",
  "HardenedServiceProps",
  "HealthcheckModel",
  "HealthcheckProps",
  "ImageModel",
  "JsonReport",
  "Level",
  "LoggingProps",
  "Maybe",
  "MountModel",
  "MountProps",
  "NoHealthcheckRelaxation",
  "PortModel",
  "PrivilegedPortsRelaxation",
  "PublishOnAllInterfacesRelaxation",
  "RegistryTagOptions",
  "Relaxation",
  "RelaxationKind",
  "ReportFormat",
  "ReportOptions",
  "RollingUpdateProps",
  "Rule",
  "RuleContext",
  "RunAsRootRelaxation",
  "SarifReportOptions",
  "SeccompAction",
  "SeccompArch",
  "SeccompArchMapEntry",
  "SeccompArg",
  "SeccompFilter",
  "SeccompOperator",
  "SeccompProfileJson",
  "SeccompSyscallRule",
  "ServicePortProps",
  "ServiceResourceProps",
  "ServiceSecretProps",
  "SignedImageOptions",
  "Status",
  "Subject",
  "SubjectKind",
  "Suppression",
  "SuppressionInput",
  "SyscallAccess",
  "TeamPolicy",
  "TextReportOptions",
  "TmpfsProps",
  "UlimitModel",
  "UntrustedRegistryRelaxation",
  "ValidationProblem",
  "Verdict",
  "WaiverSource",
  "WritableBindMountRelaxation",
  "WritableRootFilesystemRelaxation",
  "WrittenReports",
];

const INDEX = path.resolve(__dirname, "..", "..", "lib", "index.ts");

/** The export declarations of lib/index.ts, read from its syntax. */
function exportDeclarations(): ts.ExportDeclaration[] {
  const source = ts.createSourceFile(INDEX, readFileSync(INDEX, "utf8"), ts.ScriptTarget.ES2022);
  return source.statements.filter(ts.isExportDeclaration);
}

function isZodSchema(value: unknown): boolean {
  return (
    value instanceof z.ZodType ||
    (value !== null &&
      (typeof value === "object" || typeof value === "function") &&
      "_zod" in value)
  );
}

describe("the public surface of lib/index.ts", () => {
  test("the spec lists are sorted and disjoint, so a change to them reads as one line", () => {
    expect(VALUES).toEqual([...VALUES].sort());
    expect(TYPES).toEqual([...TYPES].sort());
    expect(VALUES.filter((name) => TYPES.includes(name))).toEqual([]);
  });

  test("exports exactly the listed runtime names", () => {
    expect(Object.keys(lib).sort()).toEqual(VALUES);
  });

  test("exports exactly the listed type names, each by name (no export *)", () => {
    const declarations = exportDeclarations();
    expect(declarations.filter((d) => d.exportClause === undefined)).toEqual([]);
    const typeNames = declarations
      .filter((d) => d.isTypeOnly)
      .flatMap((d) => (d.exportClause as ts.NamedExports).elements.map((e) => e.name.text));
    expect(typeNames.sort()).toEqual(TYPES);
  });

  test("no exported value is a zod schema, nor holds one, so zod's major version stays ours", () => {
    expect(isZodSchema(relaxationSchema)).toBe(true); // the detector sees a real schema
    const offenders = Object.entries(lib).flatMap(([name, value]) => {
      const held =
        value !== null && (typeof value === "object" || typeof value === "function")
          ? Object.entries(value as object).filter(([, v]) => isZodSchema(v))
          : [];
      return [
        ...(isZodSchema(value) ? [name] : []),
        ...held.map(([member]) => `${name}.${member}`),
      ];
    });
    expect(offenders).toEqual([]);
  });
});
