import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Where `HardenedDockerChecks.applyTo` learns of stacks created after it ran, without wrapping
 * `app.synth` or reaching into cdktf's internals: the constructs of this library call
 * {@link watchStack} when they are created, and the checks attach their validation (cdktf's
 * public `node.addValidation`) to the stack. A stack the checks never heard of (raw resources
 * only) is still checked, after synthesis, by the app-level validation.
 */
const watchers = new WeakMap<IConstruct, (stack: TerraformStack) => void>();

/** Called by `applyTo`: `watch` is run for each stack a construct of this library is created in. */
export function onStackSeen(app: IConstruct, watch: (stack: TerraformStack) => void): void {
  watchers.set(app, watch);
}

/** Tells the checks of `scope`'s app (if any) about `scope`'s stack. */
export function watchStack(scope: IConstruct): void {
  const watch = watchers.get(scope.node.root);
  if (watch === undefined) return;
  const stack = scope.node.scopes.find((c): c is TerraformStack => TerraformStack.isStack(c));
  if (stack !== undefined) watch(stack);
}
