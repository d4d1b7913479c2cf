import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { HardenedContainer, Relax } from "../../../lib";
import { downStack } from "../../../lib/runtime";
import { addDays } from "../../../lib/policy/facts/iso-date";

/** What the host e2e suites deploy with the `up` harness: HardenedContainers, as synthesized. */
export interface HostStack {
  readonly stackName: string;
  /** The synthesized cdk.tf.json content. */
  readonly json: Record<string, unknown>;
  /** Where it was written, for `audit --synth` / `drift --synth`. */
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
export function synthHostStack(stackName: string, prefix: string, image: string): HostStack {
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
  const json = JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-synth-`));
  const file = join(dir, "cdk.tf.json");
  writeFileSync(file, JSON.stringify(json, null, 2));
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

/**
 * Takes a deployed host stack down and removes its synthesized file. A failed `down` is reported,
 * not thrown: the suites sweep their labelled leftovers afterwards.
 */
export async function removeHostStack(
  stack: HostStack | undefined,
  labels: Record<string, string>,
): Promise<void> {
  if (!stack) return;
  await downStack(stack.json, { stackName: stack.stackName, labels }).catch((error: unknown) =>
    process.stderr.write(`[e2e] down failed (sweeping instead): ${error}\n`),
  );
  rmSync(dirname(stack.file), { recursive: true, force: true });
}
