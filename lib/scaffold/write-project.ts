import { existsSync, mkdirSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { ProjectFile, projectFiles, projectName } from "./project-files";
import { DEFAULT_TEMPLATE, SCAFFOLD_TEMPLATES, scaffoldTemplate } from "./templates";
import { Flavor, FLAVORS } from "./versions";

/** Bad `init` input: the CLI prints it on one line and exits 2. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScaffoldError";
    this.stack = `${this.name}: ${message}`;
  }
}

/** What `hardened-docker init` was asked for. */
export interface InitOptions {
  /** The project folder; created when missing. */
  readonly dir: string;
  /** @default "container" */
  readonly template?: string;
  /** @default "cdktf" */
  readonly flavor?: string;
  /** @default new Date() */
  readonly now?: Date;
}

/** What was written. */
export interface InitResult {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Writes a new project into `dir`: package.json (pinned toolchain and this package), cdktf.json,
 * tsconfig.json, .gitignore, main.ts, the CI gate workflow and, for a named template, its folder.
 * Refuses, before writing anything, when one of those files already exists: init never
 * overwrites a team's file.
 */
export function initProject(options: InitOptions): InitResult {
  const templateName = options.template ?? DEFAULT_TEMPLATE;
  const template = scaffoldTemplate(templateName);
  if (template === undefined) {
    throw new ScaffoldError(
      `--template "${templateName}" is not a template; use one of ${SCAFFOLD_TEMPLATES.map((t) => t.name).join(", ")}`,
    );
  }
  const flavor = options.flavor ?? "cdktf";
  if (!(FLAVORS as readonly string[]).includes(flavor)) {
    throw new ScaffoldError(`--flavor "${flavor}" is not a flavor; use ${FLAVORS.join(" or ")}`);
  }
  const dir = resolve(options.dir);
  const files: ProjectFile[] = projectFiles({
    name: projectName(basename(dir)),
    template,
    flavor: flavor as Flavor,
    now: options.now ?? new Date(),
  });
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0) {
    throw new ScaffoldError(
      `${dir} already has ${existing.join(", ")}: init writes a new project and overwrites nothing; ` +
        "choose an empty folder (hardened-docker init <dir>)",
    );
  }
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text, { flag: "wx" });
  }
  return { dir, files: files.map((f) => f.path) };
}
