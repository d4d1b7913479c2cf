import { TerraformResource, TerraformStack } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { Construct, IConstruct } from "constructs";
import { isRecord } from "../synth/terraform-values";
import { isUnderScope, Suppression, suppressionInputSchema } from "../policy/suppressions";

/**
 * Construct suppressions carried into the synthesized JSON, so that `audit --synth` on a stack's
 * cdk.tf.json gives the verdict `checkStack` gives on the construct tree. Each `docker_container`
 * and `docker_service` under a suppressed construct gets, in its `//` metadata (which Terraform
 * ignores), `"hardened-docker": { "suppressions": [{ ruleId, reason, expires? }] }`. Encoding and
 * decoding live here side by side; the reader accepts an entry only with a valid rule ID and a
 * written reason, and the engine stops honouring it after its expiry day.
 */

/** The key under a resource's `//` that holds the carried suppressions. */
export const CARRIED_SUPPRESSIONS_KEY = "hardened-docker";

const CARRIED_TYPES: ReadonlySet<string> = new Set([
  "docker_container",
  "docker_service",
  "docker_network",
]);
const HOOK_ID = "HardenedDockerSuppressionCarrier";

/**
 * Makes sure the stacks of `scope` write their construct suppressions into the synthesized JSON
 * (once per stack, at synthesis, after every `Suppressions.add`). For a scope above the stacks
 * (the app), the stacks that exist when it is called.
 */
export function carrySuppressionsIntoSynth(
  scope: IConstruct,
  collect: (stack: TerraformStack) => Suppression[],
): void {
  const stacks = scope.node.scopes.some((c) => TerraformStack.isStack(c))
    ? [TerraformStack.of(scope)]
    : scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    if (stack.node.tryFindChild(HOOK_ID) !== undefined) continue;
    const hook = new Construct(stack, HOOK_ID);
    addCustomSynthesis(hook, { onSynthesize: () => writeCarried(stack, collect) });
  }
}

function writeCarried(
  stack: TerraformStack,
  collect: (stack: TerraformStack) => Suppression[],
): void {
  const suppressions = collect(stack);
  if (suppressions.length === 0) return;
  for (const c of stack.node.findAll()) {
    if (!(c instanceof TerraformResource) || !CARRIED_TYPES.has(c.terraformResourceType)) continue;
    const path = c.node.path;
    const entries = suppressions
      .filter((s) => s.source === "construct" && isUnderScope(path, s.scope))
      .map((s) => ({
        ruleId: s.ruleId,
        reason: s.reason,
        ...(s.expires !== undefined ? { expires: s.expires } : {}),
      }));
    if (entries.length > 0) {
      c.addOverride(`//.${CARRIED_SUPPRESSIONS_KEY}.suppressions`, entries);
    }
  }
}

/**
 * The suppressions carried in a canonical configuration's containers and services, each scoped
 * to its resource's construct path, and a problem for each entry that is not a valid suppression
 * (it suppresses nothing).
 */
export function suppressionsCarriedIn(config: Readonly<Record<string, unknown>>): {
  suppressions: Suppression[];
  problems: string[];
} {
  const suppressions: Suppression[] = [];
  const problems: string[] = [];
  const resources = isRecord(config.resource) ? config.resource : {};
  for (const type of CARRIED_TYPES) {
    const ofType = resources[type];
    if (!isRecord(ofType)) continue;
    for (const [name, body] of Object.entries(ofType)) {
      const meta = isRecord(body) ? body["//"] : undefined;
      const carried = isRecord(meta) ? meta[CARRIED_SUPPRESSIONS_KEY] : undefined;
      if (carried === undefined) continue;
      const address = `${type}.${name}`;
      const metadata = isRecord(meta) ? meta.metadata : undefined;
      const path = isRecord(metadata) ? metadata.path : undefined;
      const entries = isRecord(carried) ? carried.suppressions : undefined;
      if (typeof path !== "string" || !Array.isArray(entries)) {
        problems.push(
          `${address}: its "//" metadata carries suppressions without a construct path or list; they suppress nothing`,
        );
        continue;
      }
      for (const [i, entry] of entries.entries()) {
        const parsed = suppressionInputSchema.safeParse(entry);
        if (!parsed.success) {
          problems.push(
            `${address}: carried suppression #${i} is not a valid suppression (rule ID, a written reason of at least 20 characters, an optional YYYY-MM-DD expiry); it suppresses nothing`,
          );
          continue;
        }
        suppressions.push({ ...parsed.data, source: "construct", scope: path });
      }
    }
  }
  return { suppressions, problems };
}
