import { App, TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Secret } from "@cdktf/provider-docker/lib/secret";
import {
  HardenedNetwork,
  HardenedNetworkProps,
  HardenedService,
  HardenedServiceProps,
} from "../../lib";
import { Json, PINNED_IMAGE, testClock } from "./hardened-synth";

/** Audit props valid at TEST_NOW. */
export const AUDIT = {
  owner: "payments-team",
  purpose: "public REST API",
  expires: "2026-06-30",
  deployedBy: "ci-bot",
} as const;

/** Minimal valid network props; tests override what they examine. */
export function networkProps(overrides: Partial<HardenedNetworkProps> = {}): HardenedNetworkProps {
  return { audit: { ...AUDIT }, clock: testClock, ...overrides };
}

/** A stack with the Docker provider. */
export function dockerStack(app?: App): TerraformStack {
  const stack = new TerraformStack(app ?? Testing.app(), "stack");
  new DockerProvider(stack, "docker", {});
  return stack;
}

/** The stack's synthesized JSON and its resources of one type, by resource name. */
export function synthesized(stack: TerraformStack): { json: Json; of: (type: string) => Json } {
  const json = JSON.parse(Testing.synth(stack)) as Json;
  const resources = (json.resource ?? {}) as Json;
  return { json, of: (type) => (resources[type] ?? {}) as Json };
}

/** The only resource of a type. */
export function only(resources: Json): Json {
  const values = Object.values(resources);
  if (values.length !== 1) throw new Error(`expected one resource, got ${values.length}`);
  return values[0] as Json;
}

/** Minimal valid service props on an encrypted overlay of the same stack. */
export function serviceProps(
  stack: TerraformStack,
  overrides: Partial<HardenedServiceProps> = {},
): HardenedServiceProps {
  const network =
    (stack.node.tryFindChild("backend") as HardenedNetwork | undefined) ??
    HardenedNetwork.overlay(stack, "backend", networkProps());
  return {
    image: PINNED_IMAGE,
    audit: { ...AUDIT },
    healthcheck: { test: ["CMD", "/bin/healthcheck"] },
    networks: [network],
    clock: testClock,
    ...overrides,
  };
}

export interface ServiceSynth {
  readonly stack: TerraformStack;
  readonly json: Json;
  readonly service: Json;
  readonly construct: HardenedService;
}

/** Synthesizes one HardenedService ("api") in a fresh stack. */
export function synthService(
  overrides: (stack: TerraformStack) => Partial<HardenedServiceProps> = () => ({}),
): ServiceSynth {
  const stack = dockerStack();
  const construct = new HardenedService(stack, "api", serviceProps(stack, overrides(stack)));
  const { json, of } = synthesized(stack);
  return { stack, json, service: only(of("docker_service")), construct };
}

/** A docker_secret in the stack. */
export function dbPassword(stack: TerraformStack): Secret {
  return new Secret(stack, "db-password", {
    name: "db-password",
    data: Buffer.from("s3cret").toString("base64"),
  });
}

/** Labels written as `[{label, value}]` as a map. */
export function labelMap(list: unknown): Record<string, string> {
  return Object.fromEntries(
    ((list ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]),
  );
}
