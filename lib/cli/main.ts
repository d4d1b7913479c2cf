#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { toolVersion } from "../policy/reports/tool-info";
import { joinLines } from "../policy/facts/linear-text";
import { registerAuditCommand } from "./commands/audit";
import { registerDriftCommand } from "./commands/drift";
import { registerInventoryCommand } from "./commands/inventory";
import { registerVerifyImageCommand } from "./commands/verify-image";
import { CliIo, ExitCode, oneLine, processIo, UsageError } from "./output";

/** Holds the exit code a command decided on. */
export interface ExitCodeHolder {
  code?: number;
}

/**
 * Builds the `hardened-docker` program. Errors from commander (unknown option, bad choice,
 * missing value) are written as one line to `io.stderr` and thrown as `CommanderError`s for
 * {@link run} to turn into exit code 2.
 */
export function buildProgram(io: CliIo, outcome: ExitCodeHolder): Command {
  const program = new Command("hardened-docker")
    .description(
      "Least-privilege Docker containers for CDK for Terraform, checked against the CIS Docker Benchmark",
    )
    .version(toolVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) =>
        write(`hardened-docker: ${joinLines(text.replace(/^error: /, "").trim())}\n`),
    });
  registerAuditCommand(program, io, outcome);
  registerInventoryCommand(program, io, outcome);
  registerDriftCommand(program, io, outcome);
  registerVerifyImageCommand(program, io, outcome);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to the exit code:
 * 0 ok, 1 blocking findings, 2 bad usage or unreadable input (one line on stderr, no stack
 * trace). Commands registered by other modules may report their code through `process.exitCode`.
 */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const outcome: ExitCodeHolder = {};
  const exitCodeBefore = process.exitCode;
  try {
    const program = buildProgram(io, outcome);
    if (argv.length === 0) {
      throw new UsageError(
        `name a command: ${program.commands.map((c) => c.name()).join(", ")} (see --help)`,
      );
    }
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    io.stderr.write(
      error instanceof UsageError
        ? `hardened-docker: ${oneLine(error)}\n`
        : `hardened-docker: unexpected error: ${oneLine(error)}\n`,
    );
    return ExitCode.usage;
  }
  if (outcome.code !== undefined) return outcome.code;
  const exitCode = process.exitCode;
  if (typeof exitCode === "number" && exitCode !== exitCodeBefore) return exitCode;
  return ExitCode.ok;
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
