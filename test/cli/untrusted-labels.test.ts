import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { runCli } from "./cli-harness";

const PREFIX = "io.hardened-docker.relaxation.";
const WHY = "the vendor says the agent needs it, see the ticket";
const ALLOW_ALL = JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW" });

/** Every relaxation kind, with a real reason and the rules it waives, written by hand. */
function handWrittenLabels(detail: Record<string, string> = {}): Record<string, string> {
  const rules: Record<string, string> = {
    addCapabilities: "CIS-5.4",
    runAsRoot: "CIS-4.1",
    privilegedPorts: "CIS-5.8",
    publishOnAllInterfaces: "CIS-5.14",
    writableRootFilesystem: "CIS-5.13",
    writableBindMount: "CIS-5.6",
    executableTmpfs: "HD-TMPFS-OPTIONS",
    allowSyscalls: "HD-SECCOMP-DENYLIST",
    noHealthcheck: "CIS-5.27,CIS-4.6",
    untrustedRegistry: "CIS-4.2",
  };
  const labels: Record<string, string> = {};
  for (const [kind, ids] of Object.entries(rules)) {
    labels[`${PREFIX}${kind}`] = WHY;
    labels[`${PREFIX}${kind}.rules`] = ids;
    if (detail[kind] !== undefined) labels[`${PREFIX}${kind}.detail`] = detail[kind];
  }
  return labels;
}

/** A raw container (no construct wrote it) that relaxes five things by values. */
function rawStack(labels: Record<string, string>): unknown {
  return {
    resource: {
      docker_container: {
        sneaky: {
          name: "sneaky",
          image: `registry.example.com/tools/agent@sha256:${"ab".repeat(32)}`,
          user: "0:0",
          read_only: false,
          capabilities: { add: ["SYS_ADMIN"], drop: ["ALL"] },
          ports: [{ internal: 22, external: 22, ip: "127.0.0.1", protocol: "tcp" }],
          tmpfs: { "/tmp": "rw,exec,nosuid,nodev,size=64m" },
          security_opts: ["no-new-privileges:true", `seccomp=${ALLOW_ALL}`],
          labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
        },
      },
    },
  };
}

const BY_VALUES = ["CIS-4.1", "CIS-5.4", "CIS-5.8", "HD-SECCOMP-DENYLIST", "HD-TMPFS-OPTIONS"];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-untrusted-labels-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function audit(labels: Record<string, string>, format: string) {
  const file = join(dir, `${format}-${Object.keys(labels).length}.tf.json`);
  writeFileSync(file, JSON.stringify(rawStack(labels)));
  return runCli(["audit", "--synth", file, "--format", format]);
}

describe("hand-written relaxation labels on a raw container (audit --synth)", () => {
  it("waive nothing that names values when they name no values: exit 1", async () => {
    const result = await audit(handWrittenLabels(), "json");
    expect(result.code).toBe(1);
    const findings = jsonReportSchema.parse(JSON.parse(result.stdout)).findings;
    for (const ruleId of BY_VALUES) {
      expect([ruleId, findings.find((f) => f.ruleId === ruleId)?.status]).toEqual([ruleId, "fail"]);
    }
  });

  it("waive nothing when they name other values than the container relaxes", async () => {
    const result = await audit(
      handWrittenLabels({
        addCapabilities: "NET_ADMIN",
        runAsRoot: "1000:0",
        privilegedPorts: "80",
        executableTmpfs: "/var/cache/app",
        allowSyscalls: "ptrace",
      }),
      "json",
    );
    expect(result.code).toBe(1);
    const findings = jsonReportSchema.parse(JSON.parse(result.stdout)).findings;
    const messages = Object.fromEntries(
      BY_VALUES.map((id) => [id, findings.find((f) => f.ruleId === id)]),
    );
    expect(messages["CIS-5.4"]?.message).toContain('not covered: capability "SYS_ADMIN"');
    expect(messages["CIS-4.1"]?.message).toContain('not covered: user "0:0"');
    expect(messages["CIS-5.8"]?.message).toContain('not covered: hostPort "22"');
    expect(messages["HD-TMPFS-OPTIONS"]?.message).toContain('not covered: tmpfsPath "/tmp"');
    expect(messages["HD-SECCOMP-DENYLIST"]?.message).toContain('syscall "mount"');
    for (const id of BY_VALUES) expect(messages[id]?.status).toBe("fail");
  });

  it("show in every report what a whole-rule label waived and by which label", async () => {
    const labels = handWrittenLabels();
    const json = jsonReportSchema.parse(JSON.parse((await audit(labels, "json")).stdout));
    expect(json.findings.find((f) => f.ruleId === "CIS-5.13")).toMatchObject({
      status: "suppressed",
      suppression: { source: "label", scope: `${PREFIX}writableRootFilesystem`, reason: WHY },
    });
    const text = (await audit(labels, "text")).stdout;
    expect(text).toContain(`waived by label ${PREFIX}writableRootFilesystem (whole rule)`);
    const sarif = JSON.parse((await audit(labels, "sarif")).stdout) as {
      runs: { results: { ruleId: string; suppressions?: { properties?: unknown }[] }[] }[];
    };
    const result = sarif.runs[0]?.results.find((r) => r.ruleId === "CIS-5.13");
    expect(result?.suppressions?.[0]?.properties).toMatchObject({
      source: "label",
      scope: `${PREFIX}writableRootFilesystem`,
      waivedBy: `label ${PREFIX}writableRootFilesystem (whole rule)`,
    });
  });
});
