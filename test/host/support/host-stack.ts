import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { HardenedContainer, Relax } from "../../../lib";
import { addDays } from "../../../lib/policy/facts/iso-date";
import { TerraformDeployer } from "../../support/terraform-deploy";

/** What the host e2e suites deploy with terraform apply: HardenedContainers, as synthesized. */
export interface HostStack {
  readonly stackName: string;
  /** The synthesized cdk.tf.json content. */
  readonly json: Record<string, unknown>;
  /** The cdk.tf.json Terraform deployed, for `audit --synth` / `drift --synth`. */
  readonly file: string;
  /** Container name -> `docker_container.<resource>` address. */
  readonly resources: ReadonlyMap<string, string>;
}

export const RELAXED_REASON = "the legacy agent writes its pid file next to its binary";

/**
 * A stack of two HardenedContainers named `<prefix>-web` (all defaults) and `<prefix>-relaxed`
 * (a writable root filesystem, relaxed with a reason), both running `sleep 3600` from the
 * digest-pinned test image. No published ports: the suites share the engine with others.
 */
function hostStack(stackName: string, prefix: string, image: string): TerraformStack {
  const stack = new TerraformStack(Testing.app(), stackName);
  new DockerProvider(stack, "docker", {});
  const audit = {
    owner: "platform-team",
    purpose: "host audit end-to-end test",
    expires: addDays(new Date(), 120),
    deployedBy: "jest",
  };
  const healthcheck = { test: ["CMD", "/bin/true"], intervalSeconds: 5, startPeriodSeconds: 1 };
  new HardenedContainer(stack, "web", {
    image,
    name: `${prefix}-web`,
    command: ["sleep", "3600"],
    audit,
    healthcheck,
  });
  new HardenedContainer(stack, "relaxed", {
    image,
    name: `${prefix}-relaxed`,
    command: ["sleep", "3600"],
    audit,
    healthcheck,
    relaxations: [Relax.writableRootFilesystem(RELAXED_REASON)],
  });
  return stack;
}

/** Deploys the stack of {@link hostStack} with `terraform apply` (through `deployer`). */
export async function deployHostStack(
  deployer: TerraformDeployer,
  stackName: string,
  prefix: string,
  image: string,
): Promise<HostStack> {
  const { json, file } = await deployer.apply(hostStack(stackName, prefix, image));
  const containers = (json.resource as Record<string, Record<string, { name: string }>>)
    .docker_container;
  const resources = new Map(
    Object.entries(containers).map(([resource, body]) => [
      body.name,
      `docker_container.${resource}`,
    ]),
  );
  return { stackName, json, file, resources };
}
