import { Command, Option } from "commander";
import { commandOutput, runDeploymentCommand, selectStack } from "../deployment-command";
import { upStack } from "../../runtime/up";

interface UpCommandOptions {
  readonly synth: string;
  readonly stack?: string;
  readonly registryScheme?: "http" | "https";
}

/**
 * `hardened-docker up --synth <cdk.tf.json | cdktf.out> [--stack NAME]`: deploys a synthesized
 * stack on the local Docker Engine without Terraform. Exit 0 deployed, 1 deployment failed
 * (what was created is removed again), 2 bad input (nothing created).
 */
export function registerUpCommand(program: Command): void {
  program
    .command("up")
    .description(
      "Deploy a synthesized stack on the local Docker Engine without Terraform (containers mapped as the Terraform Docker provider maps them)",
    )
    .requiredOption("--synth <path>", "a cdk.tf.json file or a cdktf.out folder")
    .option("--stack <name>", "the stack to deploy (required when --synth holds several)")
    .addOption(
      new Option(
        "--registry-scheme <scheme>",
        "scheme for registry digest look-ups (default: http for 127.0.0.1/localhost, else https)",
      ).choices(["http", "https"]),
    )
    .action(async (options: UpCommandOptions, command: Command) => {
      await runDeploymentCommand(command, async () => {
        const stack = selectStack(options.synth, options.stack);
        const { out } = commandOutput(command);
        out(`Deploying stack ${stack.name} from ${stack.file}`);
        const deployed = await upStack(stack.json, {
          stackName: stack.name,
          registryScheme: options.registryScheme,
          log: (line) => out(`  ${line}`),
        });
        out(
          `Stack ${deployed.stackName} is up: ${deployed.containers.length} container(s), ${deployed.networks.length} network(s), ${deployed.volumes.length} volume(s), ${deployed.images.length} image(s), ${deployed.pidsLimits.length} PIDs limit(s)${deployed.signatures.length > 0 ? `, ${deployed.signatures.length} image signature(s) verified` : ""}${deployed.services.length + deployed.secrets.length > 0 ? `, ${deployed.services.length} service(s), ${deployed.secrets.length} secret(s)` : ""}.`,
        );
        for (const c of deployed.containers)
          out(`  container ${c.name}  ${c.id.slice(0, 12)}  (${c.resource})`);
        for (const s of deployed.services)
          out(`  service ${s.name}  ${s.id.slice(0, 12)}  (${s.resource})`);
        out(
          `Remove it with: hardened-docker down --synth ${options.synth} --stack ${deployed.stackName}`,
        );
      });
    });
}
