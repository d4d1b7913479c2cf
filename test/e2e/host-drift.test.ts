import { runCli } from "../cli/cli-harness";
import { driftReportSchema } from "../../lib/host/drift";
import { buildHostTestImage, removeHostTestImage } from "../host/support/busybox-image";
import { HostStack, deployHostStack } from "../host/support/host-stack";
import { TerraformDeployer } from "../support/terraform-deploy";
import { docker, sweepSuite, testLabels } from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";

/**
 * `drift --synth` against the real engine: a stack of HardenedContainers deployed with terraform
 * apply is in sync with the JSON Terraform deployed; then the live containers are changed the way
 * an operator might (docker update, a removed container, a hand-made container with our labels)
 * and drift names each change. Everything is named `hd-host-drift-...` (drift is scoped to that
 * with --filter name=) and removed in afterAll.
 */

const SUITE = "host-drift";
const PREFIX = "hd-host-drift";
const FILTER = ["--filter", `name=${PREFIX}-`];

const gate = engineGate("host drift", { registry: true, terraform: true });

engineDescribe("host drift", gate)("drift --synth on the local engine", () => {
  let stack: HostStack | undefined;
  let deployer: TerraformDeployer | undefined;
  const labels = testLabels(SUITE);

  beforeAll(async () => {
    await sweepSuite(SUITE);
    const image = await buildHostTestImage();
    deployer = new TerraformDeployer(SUITE);
    stack = await deployHostStack(deployer, "hd-host-drift", PREFIX, image.digest);
  }, 180_000);

  afterAll(async () => {
    try {
      await deployer?.destroyAll();
    } finally {
      await sweepSuite(SUITE);
      await removeHostTestImage();
    }
  }, 120_000);

  const synthFile = (): string => {
    if (!stack) throw new Error("the stack was not deployed (see beforeAll)");
    return stack.file;
  };

  test("a freshly deployed stack is in sync with what was synthesized (exit 0)", async () => {
    const result = await runCli(["drift", "--synth", synthFile(), ...FILTER, "--format", "json"]);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    const entries = report.entries
      .map((e) => [e.container, e.status, e.differences, e.unverifiable])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(entries).toEqual([
      [`container:/${PREFIX}-relaxed`, "in-sync", [], []],
      [`container:/${PREFIX}-web`, "in-sync", [], []],
    ]);
    expect(result.code).toBe(0);
  });

  test("names every change made on the host, a removed container and an unmanaged one (exit 1)", async () => {
    const web = docker().getContainer(`${PREFIX}-web`);
    // What `docker update --memory 512m --memory-swap 512m --pids-limit 0` sends.
    await web.update({ Memory: 512 * 1024 * 1024, MemorySwap: 512 * 1024 * 1024, PidsLimit: 0 });
    await docker().getContainer(`${PREFIX}-relaxed`).remove({ force: true });
    const stray = await docker().createContainer({
      name: `${PREFIX}-stray`,
      Image: (await web.inspect()).Image,
      Cmd: ["sleep", "3600"],
      Labels: { ...labels, "io.hardened-docker.owner": "nobody-knows" },
    });
    expect(stray.id).toMatch(/^[0-9a-f]{64}$/);

    const result = await runCli(["drift", "--synth", synthFile(), ...FILTER]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "hardened-docker: drift: 1 drifted, 1 missing, 1 unmanaged, 0 unresolved, 0 unverified\n",
    );
    const json = await runCli(["drift", "--synth", synthFile(), ...FILTER, "--format", "json"]);
    const report = driftReportSchema.parse(JSON.parse(json.stdout));
    const byContainer = Object.fromEntries(report.entries.map((e) => [e.container, e]));
    expect(byContainer[`container:/${PREFIX}-web`]).toMatchObject({
      status: "drifted",
      differences: [
        { field: "memory (bytes)", synthesized: "268435456", live: "536870912" },
        { field: "memory_swap (bytes)", synthesized: "268435456", live: "536870912" },
        { field: "pids_limit", synthesized: "128", live: "(not set)" },
      ],
    });
    expect(byContainer[`container:/${PREFIX}-relaxed`]).toMatchObject({ status: "missing" });
    expect(byContainer[`container:/${PREFIX}-stray`]).toMatchObject({
      status: "unmanaged",
      message: expect.stringContaining("io.hardened-docker.owner"),
    });
    expect(result.stdout).toContain("     * memory (bytes): synthesized 268435456, live 536870912");
  });
});
