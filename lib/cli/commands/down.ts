import { Command } from "commander";
import { commandOutput, runDeploymentCommand, selectStack } from "../deployment-command";
import { downStack } from "../../runtime/down";

interface DownCommandOptions {
  readonly synth: string;
  readonly stack?: string;
}

/**
 * `hardened-docker down --synth <cdk.tf.json | cdktf.out> [--stack NAME]`: removes what `up`
 * created for the stack (found by its `io.hardened-docker.up.stack` label, nothing else).
 */
export function registerDownCommand(program: Command): void {
  program
    .command("down")
    .description("Remove what `hardened-docker up` created for a stack (by its up.stack label)")
    .requiredOption("--synth <path>", "a cdk.tf.json file or a cdktf.out folder")
    .option("--stack <name>", "the stack to remove (required when --synth holds several)")
    .action(async (options: DownCommandOptions, command: Command) => {
      await runDeploymentCommand(command, async () => {
        const stack = selectStack(options.synth, options.stack);
        const { out } = commandOutput(command);
        const removed = await downStack(stack.json, {
          stackName: stack.name,
          log: (line) => out(`  ${line}`),
        });
        out(
          `Stack ${removed.stackName} is down: removed ${removed.containers.length} container(s), ${removed.networks.length} network(s), ${removed.volumes.length} volume(s), ${removed.images.length} image(s)${removed.services.length + removed.secrets.length > 0 ? `, ${removed.services.length} service(s), ${removed.secrets.length} secret(s)` : ""}.`,
        );
      });
    });
}
