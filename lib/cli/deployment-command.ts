import type { Command } from "commander";
import { loadSynthesizedStacks, SynthInputError } from "../synth";
import { UsageError } from "./output";
import { joinLines } from "../policy/facts/linear-text";
import { DeploymentError, StackInputError } from "../runtime/errors";

/** Shared plumbing of the `up` and `down` commands. */

/** One stack picked from `--synth` (a cdk.tf.json file or a cdktf.out folder) and `--stack`. */
export interface SelectedStack {
  readonly name: string;
  readonly json: unknown;
  readonly file: string;
}

/** Loads `--synth` and picks the stack named by `--stack` (required when there are several). */
export function selectStack(synthPath: string, stackName?: string): SelectedStack {
  let stacks: readonly SelectedStack[];
  try {
    stacks = loadSynthesizedStacks(synthPath).stacks;
  } catch (error) {
    if (error instanceof SynthInputError) throw new UsageError(error.message);
    throw error;
  }
  if (stacks.length === 0) throw new UsageError(`${synthPath}: holds no synthesized stack`);
  if (stackName !== undefined) {
    const found = stacks.find((s) => s.name === stackName);
    if (!found) {
      throw new UsageError(
        `${synthPath}: no stack named ${stackName}; stacks: ${stacks.map((s) => s.name).join(", ")}`,
      );
    }
    return found;
  }
  if (stacks.length > 1) {
    throw new UsageError(
      `${synthPath}: holds ${stacks.length} stacks (${stacks.map((s) => s.name).join(", ")}); choose one with --stack NAME`,
    );
  }
  return stacks[0];
}

/** Writes to the program's configured stdout / stderr (the CLI's injectable streams). */
export function commandOutput(command: Command): {
  out: (line: string) => void;
  err: (line: string) => void;
} {
  const config = command.configureOutput();
  const out = config.writeOut ?? ((text: string) => process.stdout.write(text));
  const err = config.writeErr ?? ((text: string) => process.stderr.write(text));
  return { out: (line) => out(`${line}\n`), err: (line) => err(`${line}\n`) };
}

/**
 * Runs a command body: a refused stack becomes a UsageError (one line, exit 2); a failed
 * deployment prints one line and sets exit code 1. Nothing prints a stack trace.
 */
export async function runDeploymentCommand(
  command: Command,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof StackInputError) throw new UsageError(error.message);
    if (error instanceof DeploymentError) {
      commandOutput(command).err(`hardened-docker: ${joinLines(error.message)}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
