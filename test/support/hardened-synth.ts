import { App, TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer, HardenedContainerProps, fixedClock } from "../../lib";

/** "Now" for every construct test: tests never depend on the real calendar. */
export const TEST_NOW = "2026-03-15T12:00:00Z";
export const testClock = fixedClock(TEST_NOW);

export const DIGEST = "sha256:" + "ab".repeat(32);
export const PINNED_IMAGE = `registry.example.com/payments/api@${DIGEST}`;

/** Minimal valid props; tests override what they examine. */
export function baseProps(overrides: Partial<HardenedContainerProps> = {}): HardenedContainerProps {
  return {
    image: PINNED_IMAGE,
    audit: {
      owner: "payments-team",
      purpose: "public REST API",
      expires: "2026-06-30",
      deployedBy: "ci-bot",
    },
    healthcheck: { test: ["CMD", "/bin/healthcheck"] },
    clock: testClock,
    ...overrides,
  };
}

export type Json = Record<string, unknown>;

export interface SynthResult {
  readonly json: Json;
  /** The one docker_container's attributes. */
  readonly container: Json;
  readonly containerName: string;
  readonly resources: Json;
  readonly construct: HardenedContainer;
}

/** Synthesizes one HardenedContainer in a fresh stack and returns its JSON. */
export function synthHardened(props: HardenedContainerProps, app?: App): SynthResult {
  const stack = new TerraformStack(app ?? Testing.app(), "stack");
  new DockerProvider(stack, "docker", {});
  const construct = new HardenedContainer(stack, "api", props);
  const json = JSON.parse(Testing.synth(stack)) as Json;
  const resources = json.resource as Json;
  const containers = resources.docker_container as Json;
  const [containerName] = Object.keys(containers);
  return {
    json,
    container: containers[containerName] as Json,
    containerName,
    resources,
    construct,
  };
}

/** The container's labels as a map. */
export function labelsOf(container: Json): Record<string, string> {
  const list = (container.labels ?? []) as { label: string; value: string }[];
  return Object.fromEntries(list.map((l) => [l.label, l.value]));
}

/** Runs `fn` and returns the validation error it throws (fails the test if none). */
export function validationErrorOf(fn: () => unknown): Error & {
  problems: { field: string; value: unknown; message: string; constructPath: string }[];
} {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && "problems" in e) return e as ReturnType<typeof validationErrorOf>;
    throw e;
  }
  throw new Error("expected a HardenedDockerValidationError, but nothing was thrown");
}

/** The PIDs-limit step among the stack's terraform_data (the labels trigger is another one). */
export function pidsStepOf(resources: Json): Json {
  const steps = Object.entries(resources.terraform_data as Record<string, Json>).filter(([name]) =>
    name.includes("_pids-limit_"),
  );
  if (steps.length !== 1) throw new Error(`expected one PIDs-limit step, found ${steps.length}`);
  return steps[0][1];
}
