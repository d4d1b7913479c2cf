import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { blockingFindings, checkStack, HardenedContainer, HardenedDockerChecks } from "../../lib";
import { baseProps, testClock } from "../support/hardened-synth";

/**
 * Issue 17: a HardenedContainer subverted through cdktf's escape hatches (`addOverride`, raw
 * resources beside it, the provider) still meets a gate that blocks it: `checkStack` and
 * `app.synth()` with HardenedDockerChecks both name the rule.
 */

type Attack = (stack: TerraformStack, web: HardenedContainer) => void;

const ATTACKS: [string, string, Attack][] = [
  [
    "privileged through addOverride",
    "CIS-5.5",
    (_s, web) => web.container.addOverride("privileged", true),
  ],
  [
    "a bind of /var/lib/docker added through addOverride",
    "CIS-5.6",
    (_s, web) =>
      web.container.addOverride("mounts", [
        { type: "bind", source: "/var/lib/docker", target: "/layers", read_only: true },
      ]),
  ],
  [
    "a legacy volumes block binding /root",
    "CIS-5.6",
    (_s, web) =>
      web.container.addOverride("volumes", [
        { host_path: "/root/", container_path: "/r", read_only: true },
      ]),
  ],
  [
    "the PIDs step no longer replaced with the container",
    "CIS-5.29",
    (_s, web) => web.pidsLimitStep.addOverride("triggers_replace", { container_id: "fixed" }),
  ],
  [
    "a raw terraform_data lifting the PIDs limit by name",
    "CIS-5.29",
    (stack, web) => {
      const lift = new TerraformResource(stack, "lift", {
        terraformResourceType: "terraform_data",
      });
      lift.addOverride("provisioner", [
        { "local-exec": { command: `docker update --pids-limit -1 ${web.containerName}` } },
      ]);
    },
  ],
  [
    "the provider pointed at a remote engine",
    "CIS-5.29",
    (stack) => {
      const provider = stack.node.findChild("docker") as DockerProvider;
      provider.addOverride("host", "ssh://deploy@prod.example.com");
    },
  ],
  [
    "SYS_ADMIN added through addOverride",
    "CIS-5.4",
    (_s, web) => web.container.addOverride("capabilities.add", ["SYS_ADMIN"]),
  ],
  [
    "a volume of the host disk mounted through addOverride",
    "CIS-5.6",
    (stack, web) => {
      new Volume(stack, "disk", {
        name: "disk",
        driverOpts: { type: "ext4", device: "/dev/sda1" },
      });
      web.container.addOverride("mounts", [
        { type: "volume", source: "disk", target: "/data", read_only: true },
      ]);
    },
  ],
];

function build(attack: Attack, app: App): TerraformStack {
  const stack = new TerraformStack(app, "stack");
  new DockerProvider(stack, "docker", {});
  const web = new HardenedContainer(stack, "api", baseProps());
  attack(stack, web);
  return stack;
}

describe("construct-level attacks", () => {
  test("there are at least seven", () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(7);
  });

  test("without an attack the stack passes both gates", () => {
    const outdir = mkdtempSync(join(tmpdir(), "hd-construct-attack-"));
    try {
      const app = new App({ outdir });
      HardenedDockerChecks.applyTo(app, { clock: testClock });
      const stack = build(() => undefined, app);
      expect(blockingFindings(checkStack(stack, { clock: testClock }))).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test.each(ATTACKS)("%s: blocked by %s", (_name, ruleId, attack) => {
    const outdir = mkdtempSync(join(tmpdir(), "hd-construct-attack-"));
    try {
      const app = new App({ outdir });
      HardenedDockerChecks.applyTo(app, { clock: testClock });
      const stack = build(attack, app);
      const ids = blockingFindings(checkStack(stack, { clock: testClock })).map((f) => f.ruleId);
      expect(ids).toContain(ruleId);
      const stderr = process.stderr.write;
      process.stderr.write = () => true;
      try {
        expect(() => app.synth()).toThrow(
          ruleId === "CIS-5.6" && _name.includes("volume of the host disk")
            ? /ext4 device \/dev\/sda1/
            : `[${ruleId}]`,
        );
      } finally {
        process.stderr.write = stderr;
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
