import { relative } from "node:path";
import { Command, Option } from "commander";
import { DEFAULT_TEMPLATE, SCAFFOLD_TEMPLATES } from "../../scaffold/templates";
import { FLAVOR_SETUP, FLAVORS, Flavor } from "../../scaffold/versions";
import { initProject, ScaffoldError } from "../../scaffold/write-project";
import { CliIo, ExitCode, UsageError } from "../output";

/**
 * `hardened-docker init [dir]`: scaffolds a project that synthesizes at once (package.json with
 * the pinned toolchain, cdktf.json, tsconfig.json, .gitignore, main.ts, the CI gate workflow),
 * from the single-container default or a template of `examples/`, on cdktf or CDK Terrain.
 * Exit 0 when written, 2 for a bad option or a folder that already holds one of the files.
 */
export function registerInitCommand(program: Command, io: CliIo, outcome: { code?: number }): void {
  program
    .command("init")
    .description("Start a new project: a hardened stack, the CIS checks and the CI gate")
    .argument("[dir]", "the project folder (created when missing)", ".")
    .addOption(
      new Option(
        "--template <name>",
        `what to start from: ${SCAFFOLD_TEMPLATES.map((t) => `${t.name} (${t.summary})`).join("; ")}`,
      )
        .choices(SCAFFOLD_TEMPLATES.map((t) => t.name))
        .default(DEFAULT_TEMPLATE),
    )
    .addOption(
      new Option(
        "--flavor <cdk>",
        "cdktf (0.21, archived 2025-12-10; Node >= 20) or cdktn (CDK Terrain 0.24 through the npm alias cdktf=npm:cdktn; Node >= 22.19)",
      )
        .choices(FLAVORS)
        .default("cdktf"),
    )
    .action((dir: string, options: { template: string; flavor: Flavor }) => {
      let written: ReturnType<typeof initProject>;
      try {
        written = initProject({ dir, template: options.template, flavor: options.flavor });
      } catch (error) {
        if (error instanceof ScaffoldError) throw new UsageError(error.message);
        throw error;
      }
      const cli = FLAVOR_SETUP[options.flavor].cli;
      const where = relative(process.cwd(), written.dir);
      io.stdout.write(
        [
          `Wrote ${written.files.join(", ")} in ${written.dir}`,
          "",
          "Next:",
          ...(where !== "" ? [`  cd ${where}`] : []),
          "  npm install",
          `  npx ${cli} synth                              # the CIS checks run here; reports in cdktf.out/hardened-docker/`,
          "  npx hardened-docker audit --synth cdktf.out   # the CI gate (.github/workflows/hardened-docker.yml)",
          "",
        ].join("\n"),
      );
      outcome.code = ExitCode.ok;
    });
}
