import { existsSync, readFileSync, readdirSync, statSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { isRecord } from "./terraform-values";

/**
 * Finds the synthesized stacks to check: a `cdktf.out` folder (its `manifest.json` lists each
 * stack's `synthesizedStackPath`), a folder of `stacks/<name>/cdk.tf.json` without a manifest,
 * or a single `cdk.tf.json` file.
 */

/** Input that cannot be read as synthesized stacks. The message is one line: what, where, what to do. */
export class SynthInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthInputError";
    // One line for users: no stack trace.
    this.stack = `${this.name}: ${message}`;
  }
}

/** One synthesized stack. */
export interface SynthesizedStack {
  /**
   * The stack name: the manifest's, the `stacks/<name>` folder's, or for a single file its
   * folder's name (`<name>/cdk.tf.json`) or its own name without `.json`.
   */
  readonly name: string;
  /** The parsed cdk.tf.json. */
  readonly json: unknown;
  /** The file it was read from. */
  readonly file: string;
}

const TERRAFORM_KEYS = [
  "resource",
  "data",
  "terraform",
  "provider",
  "variable",
  "output",
  "locals",
  "module",
];

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code ??
      (error instanceof Error ? error.message : String(error));
    throw new SynthInputError(`${file}: cannot read ${what} (${reason}): check the path`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new SynthInputError(
      `${file}: ${what} is not valid JSON (${reason}): run \`cdktf synth\` again or pass the right file`,
    );
  }
}

function readStackFile(file: string, name: string): SynthesizedStack {
  const json = readJson(file, "the synthesized stack");
  if (!isRecord(json) || !TERRAFORM_KEYS.some((key) => key in json)) {
    throw new SynthInputError(
      `${file}: not a Terraform JSON configuration (no "resource", "terraform" or "provider" key): pass a cdk.tf.json or a cdktf.out folder`,
    );
  }
  return { name, json, file };
}

function fromManifest(folder: string, manifestFile: string): SynthesizedStack[] {
  const manifest = readJson(manifestFile, "the cdktf manifest");
  const stacks = isRecord(manifest) ? manifest.stacks : undefined;
  if (!isRecord(stacks)) {
    throw new SynthInputError(
      `${manifestFile}: not a cdktf manifest (no "stacks" object): pass a cdktf.out folder written by \`cdktf synth\``,
    );
  }
  return Object.entries(stacks).map(([key, entry]) => {
    const path = isRecord(entry) ? entry.synthesizedStackPath : undefined;
    if (typeof path !== "string" || path.length === 0) {
      throw new SynthInputError(
        `${manifestFile}: stack ${JSON.stringify(key)} has no synthesizedStackPath: run \`cdktf synth\` again`,
      );
    }
    const name = isRecord(entry) && typeof entry.name === "string" ? entry.name : key;
    return readStackFile(resolve(folder, path), name);
  });
}

function fromStacksFolder(folder: string): SynthesizedStack[] {
  const stacksDir = join(folder, "stacks");
  const found: SynthesizedStack[] = [];
  if (existsSync(stacksDir) && statSync(stacksDir).isDirectory()) {
    for (const entry of readdirSync(stacksDir).sort()) {
      const file = join(stacksDir, entry, "cdk.tf.json");
      if (existsSync(file)) found.push(readStackFile(file, entry));
    }
  }
  const direct = join(folder, "cdk.tf.json");
  if (found.length === 0 && existsSync(direct)) found.push(readStackFile(direct, basename(folder)));
  if (found.length === 0) {
    throw new SynthInputError(
      `${folder}: holds no manifest.json, no stacks/<name>/cdk.tf.json and no cdk.tf.json: pass the cdktf.out folder or a cdk.tf.json file`,
    );
  }
  return found;
}

/**
 * Collects the synthesized stacks at `path`: a `cdktf.out` folder (via `manifest.json`, or its
 * `stacks/<name>/cdk.tf.json` files when there is no manifest) or a single cdk.tf.json file.
 * Throws {@link SynthInputError} (one-line message) for unreadable or malformed input.
 */
export function loadSynthesizedStacks(path: string): { stacks: SynthesizedStack[] } {
  if (typeof path !== "string" || path.trim() === "") {
    throw new SynthInputError(
      `the synth path is ${JSON.stringify(path)}: pass a cdktf.out folder or a cdk.tf.json file`,
    );
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SynthInputError(
      `${path}: cannot read it (${code}): pass a cdktf.out folder or a cdk.tf.json file`,
    );
  }
  if (!isFolder) {
    const file = basename(path);
    const name =
      file === "cdk.tf.json"
        ? basename(dirname(resolve(path)))
        : file.replace(/(\.tf)?\.json$/, "");
    return { stacks: [readStackFile(path, name)] };
  }
  const manifest = join(path, "manifest.json");
  const stacks = existsSync(manifest) ? fromManifest(path, manifest) : fromStacksFolder(path);
  return { stacks };
}
