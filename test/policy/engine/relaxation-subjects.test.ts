import { TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../../lib/container/hardened-container";
import { HardenedContainerProps } from "../../../lib/container/hardened-container-props";
import { Relax } from "../../../lib/policy/relaxations";
import { modelsFromTerraformJson } from "../../../lib/synth/terraform-json";
import { checkStack } from "../../../lib/checks/app-checks";
import { evaluate } from "../../../lib/policy/engine";
import { Finding } from "../../../lib/policy/findings";
import { SeccompProfile } from "../../../lib/policy/seccomp";
import { baseProps, testClock, TEST_NOW } from "../../support/hardened-synth";

const WHY = "the legacy agent needs this until the rewrite ships";

/**
 * A relaxation waives only the values it names. Each case builds a HardenedContainer with a
 * relaxation, then widens the rendered container past it with an escape-hatch override, and
 * reads the verdict both ways: from the construct tree (`checkStack`, the construct's own
 * suppressions) and from the synthesized JSON alone (`audit --synth`, the relaxation labels).
 */
function verdicts(
  props: HardenedContainerProps,
  ruleId: string,
  widen?: (c: HardenedContainer) => void,
): { app: Finding; synth: Finding } {
  const stack = new TerraformStack(Testing.app(), "stack");
  new DockerProvider(stack, "docker", {});
  const api = new HardenedContainer(stack, "api", props);
  widen?.(api);
  const app = checkStack(stack, { clock: testClock }).find((f) => f.ruleId === ruleId);
  const json = JSON.parse(Testing.synth(stack)) as unknown;
  const { models } = modelsFromTerraformJson(json);
  const synth = evaluate(models, { context: { now: new Date(TEST_NOW) } }).find(
    (f) => f.ruleId === ruleId,
  );
  if (app === undefined || synth === undefined) throw new Error(`no ${ruleId} finding`);
  return { app, synth };
}

function expectBoth(
  result: { app: Finding; synth: Finding },
  status: "fail" | "suppressed",
  uncovered?: string,
): void {
  for (const finding of [result.app, result.synth]) {
    expect(finding.status).toBe(status);
    if (uncovered !== undefined) expect(finding.message).toContain(`not covered: ${uncovered}`);
  }
}

describe("a relaxation waives only the values it names", () => {
  describe("addCapabilities (CIS-5.4)", () => {
    const props = baseProps({ relaxations: [Relax.addCapabilities(["NET_ADMIN"], WHY)] });

    it("waives the capability it names", () => {
      const result = verdicts(props, "CIS-5.4");
      expectBoth(result, "suppressed");
      expect(result.synth.suppression).toMatchObject({
        source: "label",
        scope: "io.hardened-docker.relaxation.addCapabilities",
        covers: { kind: "capability", values: ["NET_ADMIN"] },
      });
    });

    it("does not waive SYS_ADMIN added by an override", () => {
      const result = verdicts(props, "CIS-5.4", (c) =>
        c.container.addOverride("capabilities.add", ["NET_ADMIN", "SYS_ADMIN"]),
      );
      expectBoth(result, "fail", 'capability "SYS_ADMIN"');
    });
  });

  describe("privilegedPorts (CIS-5.8)", () => {
    const props = baseProps({
      ports: [{ internal: 8080, external: 80 }],
      relaxations: [Relax.privilegedPorts([80], WHY)],
    });

    it("waives the port it names", () => {
      expectBoth(verdicts(props, "CIS-5.8"), "suppressed");
    });

    it("does not hide a published port 22", () => {
      const result = verdicts(props, "CIS-5.8", (c) =>
        c.container.addOverride("ports", [
          { internal: 8080, external: 80, ip: "127.0.0.1", protocol: "tcp" },
          { internal: 22, external: 22, ip: "127.0.0.1", protocol: "tcp" },
        ]),
      );
      expectBoth(result, "fail", 'hostPort "22"');
    });
  });

  describe("allowSyscalls (HD-SECCOMP-DENYLIST)", () => {
    const props = baseProps({ relaxations: [Relax.allowSyscalls(["ptrace"], WHY)] });

    it("waives the syscall it names", () => {
      expectBoth(verdicts(props, "HD-SECCOMP-DENYLIST"), "suppressed");
    });

    it("does not waive an allow-all profile", () => {
      const allowAll = SeccompProfile.fromObject({ defaultAction: "SCMP_ACT_ALLOW" }).toJson();
      const result = verdicts(props, "HD-SECCOMP-DENYLIST", (c) =>
        c.container.addOverride("security_opts", ["no-new-privileges:true", `seccomp=${allowAll}`]),
      );
      expectBoth(result, "fail", 'syscall "mount"');
    });

    it("does not waive seccomp=unconfined", () => {
      const result = verdicts(props, "HD-SECCOMP-DENYLIST", (c) =>
        c.container.addOverride("security_opts", ["no-new-privileges:true", "seccomp=unconfined"]),
      );
      expectBoth(result, "fail");
      expect(result.synth.message).toContain("not about values an exception can name");
    });
  });

  describe("runAsRoot (CIS-4.1)", () => {
    const props = baseProps({ relaxations: [Relax.runAsRoot(WHY, "0:0")] });

    it("waives the user it names", () => {
      expectBoth(verdicts(props, "CIS-4.1"), "suppressed");
    });

    it("does not waive another user set by an override", () => {
      const result = verdicts(props, "CIS-4.1", (c) => c.container.addOverride("user", "root"));
      expectBoth(result, "fail", 'user "root"');
    });
  });

  describe("executableTmpfs (HD-TMPFS-OPTIONS)", () => {
    const props = baseProps({
      tmpfs: [{ path: "/var/cache/app" }],
      relaxations: [Relax.executableTmpfs(["/var/cache/app"], WHY)],
    });

    it("waives noexec on the path it names", () => {
      expectBoth(verdicts(props, "HD-TMPFS-OPTIONS"), "suppressed");
    });

    it("does not waive an executable /tmp, nor a missing nosuid on the named path", () => {
      const result = verdicts(props, "HD-TMPFS-OPTIONS", (c) =>
        c.container.addOverride("tmpfs", {
          "/tmp": "rw,exec,nosuid,nodev,size=64m",
          "/var/cache/app": "rw,exec,nodev,size=64m",
        }),
      );
      expectBoth(result, "fail", 'tmpfsPath "/tmp", setting "/var/cache/app without nosuid,nodev"');
    });
  });
});
