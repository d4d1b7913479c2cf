import { z } from "zod";
import {
  buildJsonReport,
  jsonReportSchema,
  renderJsonReport,
} from "../../../lib/policy/reports/json";
import { sampleFindings } from "./findings-fixtures";

// The contract as documented for consumers, written out independently of the library's schema.
const contract = z.object({
  tool: z.literal("hardened-docker"),
  version: z.string().regex(/^\d+\.\d+\.\d+/),
  findings: z.array(
    z.object({
      ruleId: z.string(),
      level: z.enum(["error", "warning", "info"]),
      status: z.enum(["pass", "fail", "unknown", "suppressed", "not-applicable"]),
      resource: z.string(),
      message: z.string(),
      remediation: z.string(),
    }),
  ),
});

describe("JSON report", () => {
  const text = renderJsonReport(sampleFindings);
  const parsed: unknown = JSON.parse(text);

  it("follows the documented contract and the exported schema", () => {
    expect(contract.safeParse(parsed).success).toBe(true);
    expect(jsonReportSchema.safeParse(parsed).success).toBe(true);
  });

  it("carries the version from package.json", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require("../../../package.json") as { version: string };
    expect(contract.parse(parsed).version).toBe(pkg.version);
  });

  it("keeps every finding, in order, with suppression and location fields when known", () => {
    const report = jsonReportSchema.parse(parsed);
    expect(report.findings.map((f) => [f.ruleId, f.status])).toEqual(
      sampleFindings.map((f) => [f.ruleId, f.status]),
    );
    expect(report.findings[1]).toEqual({
      ruleId: "CIS-5.5",
      level: "error",
      status: "fail",
      resource: "docker_container.legacy",
      message: "privileged is true",
      remediation: "Remove privileged.",
      title: "Ensure that privileged containers are not used",
      stack: "shop",
      file: "cdktf.out/stacks/shop/cdk.tf.json",
    });
    expect(report.findings[2]?.suppression).toEqual({
      reason: "the legacy load balancer probes port 80",
      expires: "2026-06-30",
      source: "construct",
      scope: "shop/web",
    });
    expect(report.summary).toEqual({
      pass: 2,
      fail: 1,
      unknown: 1,
      suppressed: 1,
      "not-applicable": 2,
    });
  });

  it("is an empty list, not an error, when nothing was checked", () => {
    expect(buildJsonReport([]).findings).toEqual([]);
  });
});
