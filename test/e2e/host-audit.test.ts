import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { runCli } from "../cli/cli-harness";
import { inventoryReportSchema } from "../../lib/host/inventory";
import { jsonReportSchema, JsonReport } from "../../lib/policy/reports/json";
import {
  buildHostTestImage,
  HostTestImage,
  removeHostTestImage,
} from "../host/support/busybox-image";
import { HostStack, RELAXED_REASON, deployHostStack } from "../host/support/host-stack";
import { TerraformDeployer } from "../support/terraform-deploy";
import { docker, sweepSuite, testLabels } from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { hasControlCharacters } from "../host/support/control-characters";

/**
 * `audit --host` and `inventory` against the real engine: two HardenedContainers deployed with
 * terraform apply from their synthesized stack, and deliberately loose containers made by hand.
 * Every container is named `hd-host-e2e-...` (the commands are scoped to the suite with
 * --filter name=), the loose ones also carry this suite's label; all are removed in afterAll
 * (also after failures).
 */

const SUITE = "host-audit";
const PREFIX = "hd-host-e2e";
const FILTER = ["--filter", `name=${PREFIX}-`];
const ROOT = join(__dirname, "..", "..");

function statuses(report: JsonReport, resource: string): Record<string, string> {
  return Object.fromEntries(
    report.findings.filter((f) => f.resource === resource).map((f) => [f.ruleId, f.status]),
  );
}

const gate = engineGate("host audit", { registry: true, terraform: true });

engineDescribe("host audit", gate)("audit --host and inventory on the local engine", () => {
  let image: HostTestImage;
  let stack: HostStack | undefined;
  let deployer: TerraformDeployer | undefined;
  const labels = testLabels(SUITE);

  async function loose(
    name: string,
    options: Partial<Docker.ContainerCreateOptions>,
    start = true,
  ) {
    const container = await docker().createContainer({
      name: `${PREFIX}-${name}`,
      Image: image.tag,
      Cmd: ["sleep", "3600"],
      ...options,
      Labels: { ...labels, ...(options.Labels ?? {}) },
    });
    if (start) await container.start();
  }

  beforeAll(async () => {
    await sweepSuite(SUITE);
    image = await buildHostTestImage();
    deployer = new TerraformDeployer(SUITE);
    stack = await deployHostStack(deployer, "hd-host-e2e", PREFIX, image.digest);
    // Root, an added capability, the host PID namespace, /etc from the host, a tag, no limits.
    await loose("loose", {
      HostConfig: { CapAdd: ["SYS_ADMIN"], PidMode: "host", Binds: ["/etc:/host-etc:ro"] },
    });
    // Runs something called sshd (a script: /bin/sh /usr/sbin/sshd -D).
    await loose("sshd", { Cmd: ["/usr/sbin/sshd", "-D"], User: "65534" });
    // Our labels, with garbage in them.
    await loose("garbage", {
      Labels: {
        "io.hardened-docker.managed-by": "cdktf-hardened-docker",
        "io.hardened-docker.owner": "o".repeat(50_000),
        "io.hardened-docker.purpose": "line\nbreak \u001b[31mred",
        "io.hardened-docker.expires": "2026-02-30",
        "io.hardened-docker.deployed-at": "last tuesday",
      },
    });
    // Privileged; never started (the CI sandbox refuses privileged starts anyway): --all only.
    await loose("stopped", { HostConfig: { Privileged: true } }, false);
  }, 180_000);

  afterAll(async () => {
    try {
      await deployer?.destroyAll();
    } finally {
      await sweepSuite(SUITE);
      await removeHostTestImage();
    }
  }, 120_000);

  test("gives the expected findings per container and exits 1", async () => {
    const result = await runCli(["audit", "--host", ...FILTER, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    const resources = new Set(report.findings.map((f) => f.resource));
    // The engine's own findings (the daemon rules) and one entry per container.
    expect([...resources].sort()).toEqual([
      ...["garbage", "loose", "relaxed", "sshd", "web"].map((n) => `container:/${PREFIX}-${n}`),
      `engine:${process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock"}`,
    ]);
    const web = statuses(report, `container:/${PREFIX}-web`);
    expect(web).toMatchObject({
      "CIS-4.1": "pass",
      "CIS-4.5": "pass",
      "CIS-5.4": "pass",
      "CIS-5.5": "pass",
      "CIS-5.7": "pass",
      "CIS-5.11": "pass",
      "CIS-5.13": "pass",
      "CIS-5.22": "pass",
      "CIS-5.26": "pass",
      "CIS-5.29": "pass",
      "HD-EXPIRES": "pass",
    });
    const errors = report.findings.filter(
      (f) =>
        f.resource === `container:/${PREFIX}-web` && f.status === "fail" && f.level === "error",
    );
    expect(errors).toEqual([]);
    const relaxed = report.findings.find(
      (f) => f.resource === `container:/${PREFIX}-relaxed` && f.ruleId === "CIS-5.13",
    );
    expect(relaxed).toMatchObject({
      status: "suppressed",
      suppression: { reason: RELAXED_REASON, source: "label" },
    });
    expect(statuses(report, `container:/${PREFIX}-loose`)).toMatchObject({
      "CIS-4.1": "fail",
      "CIS-4.5": "fail",
      "CIS-5.4": "fail",
      "CIS-5.6": "fail",
      "CIS-5.11": "fail",
      "CIS-5.16": "fail",
      "HD-AUDIT-LABELS": "fail",
    });
    expect(statuses(report, `container:/${PREFIX}-sshd`)["CIS-5.7"]).toBe("fail");
    const garbage = report.findings.find(
      (f) => f.resource === `container:/${PREFIX}-garbage` && f.ruleId === "HD-EXPIRES",
    );
    expect(garbage).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/not a date/),
    });
  });

  test("gives the HardenedContainers the same verdicts as audit --synth on their stack", async () => {
    if (!stack) throw new Error("the stack was not deployed (see beforeAll)");
    const synth = jsonReportSchema.parse(
      JSON.parse((await runCli(["audit", "--synth", stack.file, "--format", "json"])).stdout),
    );
    const host = jsonReportSchema.parse(
      JSON.parse((await runCli(["audit", "--host", ...FILTER, "--format", "json"])).stdout),
    );
    for (const [name, resource] of stack.resources) {
      const fromSynth = statuses(synth, resource);
      const fromHost = statuses(host, `container:/${name}`);
      expect(Object.keys(fromHost).sort()).toEqual(Object.keys(fromSynth).sort());
      // The one legitimate difference: CIS 5.7 reads a running container's process list, which
      // a run configuration does not have (not applicable to synthesized input, by design).
      expect([fromSynth["CIS-5.7"], fromHost["CIS-5.7"]]).toEqual(["not-applicable", "pass"]);
      delete fromSynth["CIS-5.7"];
      delete fromHost["CIS-5.7"];
      expect(fromHost).toEqual(fromSynth);
    }
  });

  test("includes stopped containers with --all only, and ends text with how many applicable checks pass", async () => {
    const running = await runCli(["audit", "--host", ...FILTER]);
    expect(running.stdout).not.toContain(`${PREFIX}-stopped`);
    const lines = running.stdout.trimEnd().split("\n");
    expect(lines[lines.length - 2]).toMatch(/^\[INFO\] \d+ of \d+ applicable checks pass$/);
    expect(lines[lines.length - 1]).toMatch(/^\[WARN\] Result: \d+ blocking findings/);
    expect(running.stdout).not.toContain("\u001b[");
    const all = await runCli(["audit", "--host", "--all", ...FILTER, "--format", "json"]);
    const report = jsonReportSchema.parse(JSON.parse(all.stdout));
    expect(statuses(report, `container:/${PREFIX}-stopped`)).toMatchObject({
      "CIS-5.5": "fail",
      "CIS-5.7": "not-applicable",
    });
  });

  test("the compiled CLI gives the same verdicts as the in-process run", async () => {
    const main = join(ROOT, "dist", "lib", "cli", "main.js");
    if (!existsSync(main))
      throw new Error(`${main} is missing: run npx tsc -p tsconfig.json first`);
    const spawned = spawnSync(
      process.execPath,
      [main, "audit", "--host", ...FILTER, "--format", "json"],
      {
        encoding: "utf8",
      },
    );
    expect(spawned.status).toBe(1);
    const inProcess = await runCli(["audit", "--host", ...FILTER, "--format", "json"]);
    const verdicts = (text: string) =>
      jsonReportSchema
        .parse(JSON.parse(text))
        .findings.map((f) => `${f.resource} ${f.ruleId} ${f.status}`)
        .sort();
    expect(verdicts(spawned.stdout)).toEqual(verdicts(inProcess.stdout));
  });

  test("inventory flags each container for what it lacks, and --strict exits 1", async () => {
    const result = await runCli(["inventory", ...FILTER, "--format", "json"]);
    expect(result.code).toBe(0);
    const report = inventoryReportSchema.parse(JSON.parse(result.stdout));
    const flags = Object.fromEntries(report.containers.map((c) => [c.name, c.flags]));
    expect(flags).toEqual({
      [`${PREFIX}-garbage`]: ["unpinned-image", "invalid-label"],
      [`${PREFIX}-loose`]: ["unlabelled", "unpinned-image"],
      [`${PREFIX}-relaxed`]: [],
      [`${PREFIX}-sshd`]: ["unlabelled", "unpinned-image"],
      [`${PREFIX}-stopped`]: ["unlabelled", "unpinned-image"],
      [`${PREFIX}-web`]: [],
    });
    const relaxed = report.containers.find((c) => c.name === `${PREFIX}-relaxed`);
    expect(relaxed).toMatchObject({
      owner: "platform-team",
      purpose: "host audit end-to-end test",
      deployedBy: "jest",
      deployedAtSource: "engine",
      relaxations: [
        { kind: "writableRootFilesystem", reason: RELAXED_REASON, rules: ["CIS-5.13"] },
      ],
    });
    expect(relaxed?.daysLeft).toBe(120);
    expect(report.containers.find((c) => c.name === `${PREFIX}-web`)?.flags).toEqual([]);
    const soon = await runCli(["inventory", ...FILTER, "--within", "26w", "--format", "json"]);
    const soonFlags = inventoryReportSchema
      .parse(JSON.parse(soon.stdout))
      .containers.find((c) => c.name === `${PREFIX}-web`)?.flags;
    expect(soonFlags).toEqual(["expiring"]);
    const table = await runCli(["inventory", ...FILTER, "--strict"]);
    expect(table.code).toBe(1);
    expect(hasControlCharacters(table.stdout)).toBe(false);
    expect(table.stdout).toMatch(
      new RegExp(`^${PREFIX}-garbage .*unpinned-image,invalid-label$`, "m"),
    );
  });
});
