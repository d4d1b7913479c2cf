import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * A check that needs the whole stack (its provider declaration, its rendered JSON) for each of
 * many constructs. Run as one cdktf validation on the stack, which judges every construct
 * registered with it: the stack is read once per synthesis, not once per construct (once per
 * construct made synth quadratic), and never from a reading kept from an earlier synthesis (a
 * render kept until "the end of the pass" was still there for a second synth in the same tick,
 * after more constructs had been added: it let a host-reaching volume through).
 */
export interface StackCheck<T> {
  /** The problems of `items` (each naming its construct's path), reading `stack` afresh. */
  validate(stack: TerraformStack, items: readonly T[]): string[];
}

const registered = new WeakMap<TerraformStack, Map<StackCheck<never>, unknown[]>>();

/**
 * Registers `item` with `check` on the stack holding `scope`; the first registration of a check
 * on a stack adds its one validation. cdktf runs it when the stack synthesizes (after the app's
 * code, before anything is written); a construct's own `node.validate()` does not.
 */
export function checkWithStack<T>(scope: IConstruct, check: StackCheck<T>, item: T): void {
  const stack = TerraformStack.of(scope);
  let checks = registered.get(stack);
  if (checks === undefined) {
    checks = new Map();
    registered.set(stack, checks);
  }
  const existing = checks.get(check as StackCheck<never>) as T[] | undefined;
  if (existing !== undefined) {
    existing.push(item);
    return;
  }
  const items: T[] = [item];
  checks.set(check as StackCheck<never>, items);
  stack.node.addValidation({ validate: () => check.validate(stack, items) });
}
