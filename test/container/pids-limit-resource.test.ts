// The module object itself (not an ES namespace, whose bindings jest cannot spy on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import childProcess = require("child_process");
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, DataResource, TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../lib";
import { baseProps } from "../support/hardened-synth";

describe("the PIDs-limit step resource", () => {
  test("synthesizes exactly what cdktf's DataResource synthesizes for the same step", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    new DockerProvider(stack, "docker", {});
    const hardened = new HardenedContainer(stack, "api", baseProps());
    const id = hardened.container.id;
    new DataResource(stack, "reference", {
      input: { container_id: id, pids_limit: 128 },
      triggersReplace: { container_id: id },
      provisioners: [{ type: "local-exec", command: `docker update --pids-limit 128 ${id}` }],
    });
    const steps = JSON.parse(Testing.synth(stack)).resource.terraform_data as Record<
      string,
      Record<string, unknown>
    >;
    const strip = (r: Record<string, unknown>) => ({ ...r, "//": undefined });
    const [ours, reference] = [
      Object.entries(steps).find(([name]) => name.startsWith("api_pids-limit"))?.[1],
      steps.reference,
    ];
    expect(ours).toBeDefined();
    expect(strip(ours as Record<string, unknown>)).toEqual(strip(reference));
  });

  test("app.synth() spawns no `terraform version` per step (DataResource does, per instance)", () => {
    const outdir = mkdtempSync(join(tmpdir(), "hd-pids-"));
    const synthWith = (extra: (stack: TerraformStack) => void): void => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "s");
      new DockerProvider(stack, "docker", {});
      for (const id of ["a", "b", "c"]) new HardenedContainer(stack, id, baseProps());
      extra(stack);
      app.synth();
    };
    // cdktf's DataResource validation runs `terraform version` through execSync at every synth,
    // once per instance: slow (about 0.1 s each) and failing synth where no Terraform is installed.
    const spawned = jest.spyOn(childProcess, "execSync");
    try {
      synthWith(() => undefined);
      expect(spawned).not.toHaveBeenCalled();
      const synthesized = JSON.parse(
        readFileSync(join(outdir, "stacks", "s", "cdk.tf.json"), "utf8"),
      );
      // Per container: the PIDs-limit step and the labels trigger.
      expect(Object.keys(synthesized.resource.terraform_data)).toHaveLength(6);
      synthWith((stack) => new DataResource(stack, "d", { input: { a: 1 } }));
      expect(spawned).toHaveBeenCalledWith("terraform version", expect.anything());
    } finally {
      spawned.mockRestore();
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
