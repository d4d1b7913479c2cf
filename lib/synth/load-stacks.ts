import { readdirSync, statSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { isRecord } from "./terraform-values";
import { parseHclFile } from "./hcl";
import { parseStrictJson, ParsedJson } from "./parse-json";
import { insideFolder, ReadBudget, readBoundedFile } from "./read-file";
import { SynthInputError } from "./synth-input-error";
import {
  ConfigFragment,
  readTerraformConfig,
  TerraformConfig,
  TerraformConfigError,
} from "./terraform-config";

/**
 * Finds and reads the Terraform configurations to check: a `cdktf.out` folder (its
 * `manifest.json` lists each stack's `synthesizedStackPath`, which must stay inside the folder and
 * lie in the stack's `workingDirectory`, the folder `cdktf deploy` runs Terraform in),
 * a folder of `stacks/<name>/cdk.tf.json` without a manifest, one stack folder, or one file.
 * A stack folder is read as Terraform reads it: every `*.tf.json` in it, not only cdk.tf.json;
 * override files and HCL files, which this reader does not apply, are refused rather than
 * skipped.
 */

/** One configuration to check. */
export interface SynthesizedStack {
  /**
   * The stack name: the manifest's, the `stacks/<name>` folder's, or for a single file its
   * folder's name (`<name>/cdk.tf.json`) or its own name without `.tf.json`.
   */
  readonly name: string;
  /** The canonical configuration object (see `readTerraformConfig`). */
  readonly json: Record<string, unknown>;
  /** The main file it was read from (`cdk.tf.json`). */
  readonly file: string;
  /** The configuration with what the audit did not read. */
  readonly config: TerraformConfig;
  /** Where a resource is written: its file and the line of its body, by address. */
  locate(address: string): { file: string; line?: number } | undefined;
}

/** Terraform skips these files of a folder: hidden files and editor backups. */
function ignoredByTerraform(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}

function isOverrideFile(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

function readJsonFile(file: string, what: string, budget: ReadBudget): ParsedJson {
  return parseStrictJson(readBoundedFile(file, what, budget), file);
}

/** Reads one `.tf` file as JSON, or refuses it. */
type HclReader = (file: string) => ParsedJson;

/** The synchronous reader has no HCL parser: `.tf` files are refused, never skipped. */
const refuseHcl: HclReader = (file) => {
  throw new SynthInputError(
    `${file}: an HCL file, which this reader does not read synchronously: use \`hardened-docker audit --synth\` (which reads HCL) or convert it to .tf.json`,
  );
};

interface LoadContext {
  readonly budget: ReadBudget;
  readonly hcl: HclReader;
}

function readConfigFile(file: string, context: LoadContext): ParsedJson {
  return file.endsWith(".tf")
    ? context.hcl(file)
    : readJsonFile(file, "the Terraform configuration", context.budget);
}

function toStack(
  name: string,
  file: string,
  parsed: readonly { file: string; parsed: ParsedJson }[],
): SynthesizedStack {
  const fragments: ConfigFragment[] = parsed.map((p) => ({ json: p.parsed.value, file: p.file }));
  let config: TerraformConfig;
  try {
    config = readTerraformConfig(fragments);
  } catch (error) {
    if (error instanceof TerraformConfigError) throw new SynthInputError(error.message);
    throw error;
  }
  const parsedOf = new Map(parsed.map((p) => [p.file, p.parsed]));
  return {
    name,
    json: config.json,
    file,
    config,
    locate: (address) => {
      const where = config.fileOf.get(address);
      if (where === undefined) return undefined;
      const body = config.writtenBodyOf.get(address);
      const line = body !== undefined ? parsedOf.get(where)?.lineOf(body) : undefined;
      return line !== undefined ? { file: where, line } : { file: where };
    },
  };
}

/**
 * A stack folder as Terraform loads it: `main` (when given) and every other `*.tf.json` beside
 * it. Refuses override files and `.tf` files, which Terraform would also apply.
 */
function readStackFolder(
  folder: string,
  name: string,
  main: string | undefined,
  context: LoadContext,
): SynthesizedStack {
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SynthInputError(`${folder}: cannot list the stack's folder (${code})`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (ignoredByTerraform(entry)) continue;
    if (!entry.endsWith(".tf.json") && !entry.endsWith(".tf")) continue;
    const file = join(folder, entry);
    if (isOverrideFile(entry)) {
      throw new SynthInputError(
        `${file}: Terraform merges override files into the resources they name, which this audit does not do: fold it into the configuration or remove it`,
      );
    }
    if (main !== undefined && resolve(file) === resolve(main)) continue;
    files.push(file);
  }
  const ordered = main !== undefined ? [main, ...files] : files;
  if (ordered.length === 0) {
    throw new SynthInputError(
      `${folder}: holds no *.tf.json file: pass a cdktf.out folder or a cdk.tf.json file`,
    );
  }
  const parsed = ordered.map((file) => ({ file, parsed: readConfigFile(file, context) }));
  return toStack(name, ordered[0] as string, parsed);
}

function fromManifest(
  folder: string,
  manifestFile: string,
  context: LoadContext,
): SynthesizedStack[] {
  const manifest = readJsonFile(manifestFile, "the cdktf manifest", context.budget).value;
  const stacks = isRecord(manifest) ? manifest.stacks : undefined;
  if (!isRecord(stacks)) {
    throw new SynthInputError(
      `${manifestFile}: not a cdktf manifest (no "stacks" object): pass a cdktf.out folder written by \`cdktf synth\``,
    );
  }
  return Object.entries(stacks).map(([key, entry]) => {
    const path = isRecord(entry) ? entry.synthesizedStackPath : undefined;
    const shownKey = JSON.stringify(key.slice(0, 60));
    if (typeof path !== "string" || path.length === 0) {
      throw new SynthInputError(
        `${manifestFile}: stack ${shownKey} has no synthesizedStackPath: run \`cdktf synth\` again`,
      );
    }
    const file = insideFolder(folder, resolve(folder, path), `the file of stack ${shownKey}`);
    const name = isRecord(entry) && typeof entry.name === "string" ? entry.name : key;
    // `cdktf deploy --skip-synth` runs Terraform in workingDirectory: the audit must read that
    // folder, so a manifest that points the two elsewhere is refused.
    const working = isRecord(entry) ? entry.workingDirectory : undefined;
    if (working !== undefined) {
      const workingFolder =
        typeof working === "string" && working.length > 0
          ? insideFolder(
              folder,
              resolve(folder, working),
              `the working directory of stack ${shownKey}`,
            )
          : undefined;
      if (workingFolder === undefined || resolve(workingFolder) !== resolve(dirname(file))) {
        throw new SynthInputError(
          `${manifestFile}: stack ${shownKey} has workingDirectory ${JSON.stringify(String(working).slice(0, 120))}, where \`cdktf deploy\` runs Terraform, but synthesizedStackPath ${JSON.stringify(path.slice(0, 120))}, which the audit reads, is not in it: run \`cdktf synth\` again rather than editing the manifest`,
        );
      }
    }
    return readStackFolder(dirname(file), name, file, context);
  });
}

function hasTerraformFiles(folder: string): boolean {
  try {
    return readdirSync(folder).some(
      (e) => !ignoredByTerraform(e) && (e.endsWith(".tf.json") || e.endsWith(".tf")),
    );
  } catch {
    return false;
  }
}

function fromFolder(folder: string, context: LoadContext): SynthesizedStack[] {
  const stacksDir = join(folder, "stacks");
  const found: SynthesizedStack[] = [];
  let stackNames: string[] = [];
  try {
    if (statSync(stacksDir).isDirectory()) stackNames = readdirSync(stacksDir).sort();
  } catch {
    stackNames = [];
  }
  for (const entry of stackNames) {
    const stackFolder = join(stacksDir, entry);
    const main = join(stackFolder, "cdk.tf.json");
    let isStack = false;
    try {
      isStack = statSync(stackFolder).isDirectory() && hasTerraformFiles(stackFolder);
    } catch {
      isStack = false;
    }
    if (!isStack) continue;
    found.push(readStackFolder(stackFolder, entry, exists(main) ? main : undefined, context));
  }
  if (found.length === 0 && hasTerraformFiles(folder)) {
    const main = join(folder, "cdk.tf.json");
    found.push(
      readStackFolder(folder, basename(resolve(folder)), exists(main) ? main : undefined, context),
    );
  }
  if (found.length === 0) {
    throw new SynthInputError(
      `${folder}: holds no manifest.json, no stacks/<name>/cdk.tf.json and no *.tf.json file: pass the cdktf.out folder or a cdk.tf.json file`,
    );
  }
  return found;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the configurations at `path`: a `cdktf.out` folder (via `manifest.json`, or its
 * `stacks/<name>` folders when there is no manifest), a stack folder, a `cdk.tf.json` (read with
 * the other `*.tf.json` of its folder, as Terraform would) or any other single `.json` file.
 * Throws {@link SynthInputError} (one line, never quoting the files) for unreadable input and
 * for configurations Terraform would refuse or this reader cannot read in full. HCL (`.tf`)
 * files are refused here; {@link loadTerraformInput} reads them.
 */
export function loadSynthesizedStacks(path: string): { stacks: SynthesizedStack[] } {
  return load(path, refuseHcl);
}

/**
 * {@link loadSynthesizedStacks}, reading HCL as well: `cdktf synth --hcl` output and hand-written
 * `.tf` files (through `@cdktf/hcl2json`; expressions become `${...}` strings, read as unknown).
 */
export async function loadTerraformInput(path: string): Promise<{ stacks: SynthesizedStack[] }> {
  const converted = new Map<string, ParsedJson>();
  for (;;) {
    let needed: string | undefined;
    try {
      return load(path, (file) => {
        const done = converted.get(file);
        if (done !== undefined) return done;
        needed = file;
        throw new SynthInputError(`${file}: HCL not converted yet`);
      });
    } catch (error) {
      if (needed === undefined || converted.has(needed)) throw error;
      converted.set(needed, await parseHclFile(needed));
    }
  }
}

function load(path: string, hcl: HclReader): { stacks: SynthesizedStack[] } {
  if (typeof path !== "string" || path.trim() === "") {
    throw new SynthInputError(
      `the synth path is ${JSON.stringify(path)}: pass a cdktf.out folder or a cdk.tf.json file`,
    );
  }
  const context: LoadContext = { budget: new ReadBudget(), hcl };
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SynthInputError(
      `${path}: cannot read it (${code}): pass a cdktf.out folder or a cdk.tf.json file`,
    );
  }
  if (isFolder) {
    const manifest = join(path, "manifest.json");
    return {
      stacks: exists(manifest) ? fromManifest(path, manifest, context) : fromFolder(path, context),
    };
  }
  const file = basename(path);
  if (file === "cdk.tf.json" || file === "cdk.tf") {
    const folder = dirname(resolve(path));
    return { stacks: [readStackFolder(dirname(path), basename(folder), path, context)] };
  }
  const name = file.replace(/(\.tf)?\.json$|\.tf$/, "");
  const parsed = file.endsWith(".tf")
    ? context.hcl(path)
    : readJsonFile(path, "the synthesized stack", context.budget);
  return { stacks: [toStack(name, path, [{ file: path, parsed }])] };
}
