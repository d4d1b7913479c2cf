import { z } from "zod";
import { ENGINE_RULES } from "../../../lib/policy/engine";
import { buildSarifReport, SARIF_SCHEMA_URI } from "../../../lib/policy/reports/sarif";
import { Finding } from "../../../lib/policy/findings";
import { sampleFindings } from "./findings-fixtures";

// The properties the SARIF 2.1.0 JSON schema marks as required (and the enums it fixes) on the
// objects this report uses: sarifLog, run, tool, toolComponent, reportingDescriptor,
// multiformatMessageString, result, message, location, logicalLocation, physicalLocation,
// artifactLocation, suppression, reportingConfiguration.
const text = z.object({ text: z.string().min(1) });
const sarifSchema = z.object({
  $schema: z.string().url(),
  version: z.literal("2.1.0"),
  runs: z.array(
    z.object({
      tool: z.object({
        driver: z.object({
          name: z.string().min(1),
          version: z.string().optional(),
          rules: z.array(
            z.object({
              id: z.string().min(1),
              shortDescription: text,
              fullDescription: text,
              help: text,
              defaultConfiguration: z.object({
                level: z.enum(["none", "note", "warning", "error"]),
              }),
            }),
          ),
        }),
      }),
      results: z.array(
        z.object({
          ruleId: z.string().min(1),
          ruleIndex: z.number().int().min(-1),
          kind: z.enum(["notApplicable", "pass", "fail", "review", "open", "informational"]),
          level: z.enum(["none", "note", "warning", "error"]),
          message: text,
          locations: z
            .array(
              z.object({
                logicalLocations: z
                  .array(
                    z.object({
                      name: z.string(),
                      fullyQualifiedName: z.string(),
                      kind: z.string(),
                    }),
                  )
                  .min(1),
                physicalLocation: z
                  .object({ artifactLocation: z.object({ uri: z.string().min(1) }) })
                  .optional(),
              }),
            )
            .min(1),
          suppressions: z
            .array(
              z.object({
                kind: z.enum(["inSource", "external"]),
                status: z.enum(["accepted", "underReview", "rejected"]).optional(),
                justification: z.string().optional(),
              }),
            )
            .optional(),
        }),
      ),
    }),
  ),
});

describe("SARIF report", () => {
  const log = buildSarifReport(sampleFindings, {
    rules: [
      {
        id: "CIS-5.5",
        title: "Ensure that privileged containers are not used",
        level: "error",
        rationale: "A privileged container has every capability and all host devices.",
        remediation: "Remove privileged.",
      },
    ],
    baseDir: "/repo",
  });
  const parsed = sarifSchema.parse(JSON.parse(JSON.stringify(log)));
  const run = parsed.runs[0]!;

  it("satisfies the SARIF 2.1.0 schema's required properties", () => {
    expect(parsed.$schema).toBe(SARIF_SCHEMA_URI);
    expect(run.tool.driver.name).toBe("hardened-docker");
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("describes every rule that ran, with rationale and remediation when known", () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      "CIS-5.5",
      "CIS-5.8",
      "CIS-4.1",
      "CIS-5.14",
    ]);
    // The raw log (the schema above strips properties it does not list).
    expect(log.runs[0]?.tool.driver.rules?.[0]).toEqual({
      id: "CIS-5.5",
      shortDescription: { text: "Ensure that privileged containers are not used" },
      fullDescription: {
        text: "A privileged container has every capability and all host devices.",
      },
      help: { text: "Remove privileged." },
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "CIS"] },
    });
    // Without metadata the finding's title stands in for the rationale.
    expect(run.tool.driver.rules[1]?.fullDescription.text).toBe(
      "Ensure that privileged ports are not mapped within containers",
    );
    expect(run.tool.driver.rules[1]?.defaultConfiguration.level).toBe("warning");
  });

  it("has results for failures, suppressions and unknowns only, pointing at their rule", () => {
    expect(run.results.map((r) => [r.ruleId, r.kind, r.level])).toEqual([
      ["CIS-5.5", "fail", "error"],
      ["CIS-5.8", "fail", "warning"],
      ["CIS-4.1", "open", "none"],
    ]);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    }
    expect(run.results[2]?.message.text).toMatch(/^Could not be determined: docker_container\.web/);
  });

  it("records a suppression in source with its justification", () => {
    expect(run.results[1]?.suppressions).toEqual([
      {
        kind: "inSource",
        status: "accepted",
        justification: "the legacy load balancer probes port 80",
      },
    ]);
    expect(run.results[0]?.suppressions).toBeUndefined();
  });

  it("locates results logically by resource and physically by the synthesized file", () => {
    expect(run.results[0]?.locations[0]).toEqual({
      logicalLocations: [
        {
          name: "docker_container.legacy",
          fullyQualifiedName: "docker_container.legacy",
          kind: "resource",
        },
      ],
      physicalLocation: { artifactLocation: { uri: "cdktf.out/stacks/shop/cdk.tf.json" } },
    });
    expect(run.results[1]?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe(
      "shop/web/container",
    );
    expect(run.results[1]?.locations[0]?.physicalLocation).toBeUndefined();
  });

  it("describes the engine's own rules from their metadata", () => {
    const expired = buildSarifReport([
      {
        ruleId: "HD-SUPPRESSION-EXPIRED",
        title: "t",
        level: "warning",
        status: "fail",
        resource: "docker_container.web",
        message: "m",
        remediation: "r",
      },
    ]);
    const rule = expired.runs[0]?.tool.driver.rules?.[0];
    const metadata = ENGINE_RULES.find((r) => r.id === "HD-SUPPRESSION-EXPIRED")!;
    expect(rule?.fullDescription?.text).toBe(metadata.rationale);
    expect(rule?.help?.text).toBe(metadata.remediation);
  });

  it("tells the same container name on two engines apart, and keeps a synthesized finding's fingerprint", () => {
    const live = (engine: string): Finding => ({
      ruleId: "CIS-5.5",
      title: "t",
      level: "error",
      status: "fail",
      resource: "container:/web",
      message: "privileged is true",
      remediation: "r",
      engine,
    });
    const results =
      buildSarifReport([
        live("unix:///run/a.sock"),
        live("tcp://b.example:2376"),
        { ...sampleFindings[1]!, engine: undefined },
        {
          ...live("unix:///run/a.sock"),
          ruleId: "CIS-2.15",
          resource: "engine:unix:///run/a.sock",
        },
      ]).runs[0]?.results ?? [];
    const prints = results.map((r) => r.partialFingerprints?.["hardenedDockerFinding/v1"]);
    expect(prints).toEqual([
      "CIS-5.5||container:/web|unix:///run/a.sock",
      "CIS-5.5||container:/web|tcp://b.example:2376",
      // What every earlier report wrote for it: a code-scanning history is not reset.
      "CIS-5.5|shop|docker_container.legacy",
      // An engine's own finding: its resource names the engine already, and keeps its print.
      "CIS-2.15||engine:unix:///run/a.sock",
    ]);
    expect(results[1]?.message.text).toContain("container:/web on tcp://b.example:2376: ");
    expect(results[1]?.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(
      "container:/web on tcp://b.example:2376",
    );
    expect(results[1]?.properties).toEqual({ engine: "tcp://b.example:2376" });
    expect(results[2]?.properties).toBeUndefined();
  });
});
