import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { CARRIED_SUPPRESSIONS_KEY, CARRIED_TYPES } from "../synth/carried-suppressions";
import { appliesTo, Suppression } from "../policy/suppressions";
import { encodeWaiver } from "../policy/waiver-codec";

/**
 * Construct suppressions carried into the synthesized JSON, so that `audit --synth` on a stack's
 * cdk.tf.json gives the verdict `checkStack` gives on the construct tree. Each `docker_container`,
 * `docker_service` and `docker_network` under a suppressed construct gets, in its `//` metadata
 * (which Terraform ignores), `"hardened-docker": { "suppressions": [<waiver record>...] }`, each
 * record written and read by the one waiver codec (`lib/policy/waiver-codec.ts`), what it covers
 * included. A carried waiver applies to the resource it is written on and to no other, whatever
 * construct path the resource's metadata claims. Relaxations are not carried here: they travel as
 * the container's labels. The reader of what is carried is `lib/synth/carried-suppressions.ts`.
 */

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
