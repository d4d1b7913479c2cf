import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { isRecord } from "../synth/terraform-values";
import { appliesTo, Suppression } from "../policy/suppressions";
import { decodeWaiver, encodeWaiver } from "../policy/waiver-codec";

/**
 * Construct suppressions carried into the synthesized JSON, so that `audit --synth` on a stack's
 * cdk.tf.json gives the verdict `checkStack` gives on the construct tree. Each `docker_container`,
 * `docker_service` and `docker_network` under a suppressed construct gets, in its `//` metadata
 * (which Terraform ignores), `"hardened-docker": { "suppressions": [<waiver record>...] }`, each
 * record written and read by the one waiver codec (`lib/policy/waiver-codec.ts`), what it covers
 * included. A carried waiver applies to the resource it is written on and to no other, whatever
 * construct path the resource's metadata claims. Relaxations are not carried here: they travel as
 * the container's labels.
 */

/** The key under a resource's `//` that holds the carried suppressions. */
export const CARRIED_SUPPRESSIONS_KEY = "hardened-docker";

const CARRIED_TYPES: ReadonlySet<string> = new Set([
  "docker_container",
  "docker_service",
  "docker_network",
]);
const carrying = new WeakSet<TerraformStack>();

/**
 * Makes sure the stacks of `scope` write their construct suppressions into the synthesized JSON
 * (once per stack, when the stack validates during synthesis: after its aspects, before it is
 * written). For a scope above the stacks (the app), the stacks that exist when it is called.
 */
export function carrySuppressionsIntoSynth(
  scope: IConstruct,
  collect: (stack: TerraformStack) => Suppression[],
): void {
  const stacks = scope.node.scopes.some((c) => TerraformStack.isStack(c))
    ? [TerraformStack.of(scope)]
    : scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    if (carrying.has(stack)) continue;
    carrying.add(stack);
    stack.node.addValidation({
      validate: () => {
        writeCarried(stack, collect);
        return [];
      },
    });
  }
}

function writeCarried(
  stack: TerraformStack,
  collect: (stack: TerraformStack) => Suppression[],
): void {
  const suppressions = collect(stack).filter((s) => s.source === "construct");
  if (suppressions.length === 0) return;
  for (const c of stack.node.findAll()) {
    if (!(c instanceof TerraformResource) || !CARRIED_TYPES.has(c.terraformResourceType)) continue;
    const target = {
      resource: `${c.terraformResourceType}.${c.friendlyUniqueId}`,
      constructPath: c.node.path,
    };
    const entries = suppressions.filter((s) => appliesTo(s, target)).map(encodeWaiver);
    if (entries.length > 0) {
      c.addOverride(`//.${CARRIED_SUPPRESSIONS_KEY}.suppressions`, entries);
    }
  }
}

/**
 * The suppressions carried in a canonical configuration's resources, each applying to the
 * resource it is written on alone, and a problem for each entry that is not a valid waiver (it
 * waives nothing).
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
      const entries = isRecord(carried) ? carried.suppressions : undefined;
      if (!Array.isArray(entries)) {
        problems.push(
          `${address}: its "//" metadata carries suppressions that are not a list; they suppress nothing`,
        );
        continue;
      }
      for (const [i, entry] of entries.entries()) {
        const decoded = decodeWaiver(entry, { found: "carrier", at: address });
        if ("problem" in decoded) {
          problems.push(
            `${address}: carried suppression #${i} is ${decoded.problem}; it suppresses nothing`,
          );
          continue;
        }
        suppressions.push(decoded.waiver);
      }
    }
  }
  return { suppressions, problems };
}
