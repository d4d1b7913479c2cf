import { modelFromInspect } from "../../../lib/host/inspect";
import { ContainerModel } from "../../../lib/policy/model";
import { DEFAULT_RULES } from "../../../lib/policy/pack";
import { RuleContext } from "../../../lib/policy/rule";
import { isUnknown } from "../../../lib/policy/unknown";
import { equivalentPairs } from "../rules/support/equivalent-pairs";
import { modelOf, NOW } from "../rules/support/policy-harness";

/** The model without what legitimately differs between the two sources. */
function comparable(model: ContainerModel): Partial<ContainerModel> {
  const { source, resource, constructPath, appArmorProfile, processes, ...rest } = model;
  void [source, resource, constructPath, appArmorProfile, processes];
  return rest;
}

/**
 * Rules whose failure message names where the value came from (e.g. "an image HEALTHCHECK cannot
 * be seen before deployment"): their statuses must agree, their messages may not.
 * CIS-5.7 is left out: it is not applicable to synthesized input by design.
 */
const SOURCE_WORDED: ReadonlySet<string> = new Set(["CIS-4.6", "CIS-5.27", "CIS-5.29"]);

const CONTEXTS: readonly RuleContext[] = [
  { now: NOW },
  {
    now: NOW,
    trustedRegistries: ["registry.example.com"],
    hostHasAppArmor: false,
    hostHasSELinux: false,
  },
  { now: new Date("2027-01-01T00:00:00Z"), trustedRegistries: ["docker.io/library"] },
];

describe.each(equivalentPairs())(
  "the same configuration through both adapters: $name",
  ({ stack, inspect }) => {
    const fromTerraform = modelOf(stack);
    const fromInspect = modelFromInspect(inspect);

    it("gives the same model", () => {
      expect(comparable(fromInspect)).toEqual(comparable(fromTerraform));
    });

    it("has no unknown fields (both adapters read everything)", () => {
      const unknownFields = Object.entries(fromTerraform).filter(([, v]) => isUnknown(v));
      expect(unknownFields).toEqual([]);
    });

    it.each(CONTEXTS.map((context, i) => [i, context] as const))(
      "gives identical verdicts for every rule (context %i)",
      (_, context) => {
        const verdicts = (model: ContainerModel) =>
          DEFAULT_RULES.filter((rule) => rule.id !== "CIS-5.7").map((rule) => {
            const { status, message } = rule.check(model, context);
            return [rule.id, status, SOURCE_WORDED.has(rule.id) ? "(worded per source)" : message];
          });
        expect(verdicts(fromInspect)).toEqual(verdicts(fromTerraform));
      },
    );
  },
);

describe("the pairs cover failing verdicts too", () => {
  it("the insecure container fails the same rules through both adapters", () => {
    const pair = equivalentPairs().find((p) => p.name === "the insecure container");
    if (!pair) throw new Error("missing pair");
    const failing = (model: ContainerModel) =>
      DEFAULT_RULES.filter((r) => r.check(model, { now: NOW }).status === "fail").map((r) => r.id);
    const expected = [
      "CIS-4.1",
      "CIS-4.5",
      "CIS-4.6",
      "CIS-5.2",
      "CIS-5.4",
      "CIS-5.5",
      "CIS-5.6",
      "CIS-5.8",
      "CIS-5.10",
      "CIS-5.11",
      "CIS-5.12",
      "CIS-5.13",
      "CIS-5.14",
      "CIS-5.15",
      "CIS-5.16",
      "CIS-5.17",
      "CIS-5.18",
      "CIS-5.19",
      "CIS-5.20",
      "CIS-5.22",
      "CIS-5.25",
      "CIS-5.26",
      "CIS-5.27",
      "CIS-5.29",
      "CIS-5.31",
      "CIS-5.32",
      "HD-LOG-ROTATION",
      "HD-AUDIT-LABELS",
      "HD-EXPIRES",
      "HD-TMPFS-OPTIONS",
      "HD-SECCOMP-DENYLIST",
      "HD-MEMORY-SWAP",
    ];
    expect(failing(modelOf(pair.stack))).toEqual(expected);
    expect(failing(modelFromInspect(pair.inspect))).toEqual(expected);
  });
});
