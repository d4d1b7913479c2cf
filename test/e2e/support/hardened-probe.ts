import { TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../../lib/container/hardened-container";

/** An expiry 90 days ahead: inside the construct's 365-day maximum whatever the date. */
function expiryIn90Days(): string {
  return new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The probe's health check: the probe binary runs and exits 0. */
export const PROBE_HEALTHCHECK = ["CMD", "/usr/local/bin/probe", "hello"];

/**
 * Adds the probe as ONE HardenedContainer with every default (only the required image, audit
 * labels and health check are given). Shared by the attack battery and `npm run e2e:deploy`.
 */
export function addHardenedProbe(
  stack: TerraformStack,
  image: string,
  audit: { readonly expires: string; readonly deployedBy?: string },
): HardenedContainer {
  return new HardenedContainer(stack, "probe", {
    image,
    audit: {
      owner: "e2e-suite",
      purpose: "runs the attack probe against the hardened defaults",
      ...audit,
    },
    healthcheck: { test: PROBE_HEALTHCHECK, intervalSeconds: 5, startPeriodSeconds: 1 },
  });
}

/** A stack holding only the probe (see addHardenedProbe), for the deploy helper. */
export function probeStack(stackName: string, image: string): TerraformStack {
  const stack = new TerraformStack(Testing.app(), stackName);
  new DockerProvider(stack, "docker", {});
  addHardenedProbe(stack, image, { expires: expiryIn90Days(), deployedBy: "e2e-suite" });
  return stack;
}
