import { modelFromServiceSpec } from "../../../lib/host/service-spec";
import { modelsFromTerraformJson } from "../../../lib/synth/terraform-json";
import { ContainerModel } from "../../../lib/policy/model";
import { DEFAULT_RULES } from "../../../lib/policy/pack";
import { RuleContext } from "../../../lib/policy/rule";
import { isUnknown } from "../../../lib/policy/unknown";
import { NOW } from "../rules/support/policy-harness";
import {
  NETWORK_NAMES,
  hardenedServiceInspect,
  hardenedServiceStack,
  rawServiceInspect,
  rawServiceStack,
} from "./service-fixtures";

/** The model without what legitimately differs between the two sources. */
function comparable(model: ContainerModel): Partial<ContainerModel> {
  const { source, resource, constructPath, ...rest } = model;
  void [source, resource, constructPath];
  return rest;
}

function serviceModel(stack: unknown): ContainerModel {
  const { models, problems } = modelsFromTerraformJson(stack);
  expect(problems).toEqual([]);
  const services = models.filter((m) => m.kind === "service");
  expect(services).toHaveLength(1);
  return services[0];
}

/** Health-check rules word where they looked (configuration vs service spec). */
const SOURCE_WORDED: ReadonlySet<string> = new Set(["CIS-4.6", "CIS-5.27"]);

const CONTEXTS: readonly RuleContext[] = [
  { now: NOW },
  { now: NOW, trustedRegistries: ["registry.example.com"], hostHasAppArmor: false },
  { now: new Date("2027-01-01T00:00:00Z"), hostHasAppArmor: true, hostHasSELinux: true },
];

const PAIRS = [
  {
    name: "the hardened service",
    stack: hardenedServiceStack,
    inspect: hardenedServiceInspect,
  },
  { name: "a raw service", stack: rawServiceStack, inspect: rawServiceInspect },
];

describe.each(PAIRS)("the same service through both adapters: $name", (pair) => {
  const fromTerraform = serviceModel(pair.stack());
  const fromSpec = modelFromServiceSpec(pair.inspect(), { networkNames: NETWORK_NAMES });

  it("gives the same model", () => {
    expect(comparable(fromSpec)).toEqual(comparable(fromTerraform));
  });

  it("has no unknown fields", () => {
    expect(Object.entries(fromTerraform).filter(([, v]) => isUnknown(v))).toEqual([]);
    expect(Object.entries(fromSpec).filter(([, v]) => isUnknown(v))).toEqual([]);
  });

  it("is a service from both sources", () => {
    expect([fromTerraform.kind, fromSpec.kind]).toEqual(["service", "service"]);
    expect([fromTerraform.source, fromSpec.source]).toEqual(["terraform", "service-spec"]);
  });

  it.each(CONTEXTS.map((context, i) => [i, context] as const))(
    "gives identical verdicts for every rule (context %i)",
    (_, context) => {
      const verdicts = (model: ContainerModel) =>
        DEFAULT_RULES.map((rule) => {
          const { status, message } = rule.check(model, context);
          return [rule.id, status, SOURCE_WORDED.has(rule.id) ? "(worded per source)" : message];
        });
      expect(verdicts(fromSpec)).toEqual(verdicts(fromTerraform));
    },
  );
});

describe("the raw service fails the same rules through both adapters", () => {
  it("lists the failures a service can fix", () => {
    const failing = (model: ContainerModel) =>
      DEFAULT_RULES.filter((r) => r.check(model, { now: NOW }).status === "fail").map((r) => r.id);
    const expected = [
      "CIS-4.1",
      "CIS-4.5",
      "CIS-4.6",
      "CIS-5.8",
      "CIS-5.11",
      "CIS-5.12",
      "CIS-5.13",
      "CIS-5.14",
      "CIS-5.15",
      "CIS-5.27",
      "CIS-5.30",
      "HD-LOG-ROTATION",
      "HD-AUDIT-LABELS",
      "HD-EXPIRES",
      // No memory limit at all: a failure a service can fix (resources.limits.memory_bytes).
      "HD-MEMORY-SWAP",
    ];
    expect(failing(serviceModel(rawServiceStack()))).toEqual(expected);
    expect(failing(modelFromServiceSpec(rawServiceInspect()))).toEqual(expected);
  });
});
