import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { parsePublicKey, pemBlocks } from "../image/signature/public-key";
import { oneLine, UsageError } from "./output";

/** The keys of `--key <file>` and `--key-env <VAR>`; every PEM block in them is one key. */
export function readTrustedKeys(
  files: readonly string[],
  envVars: readonly string[] = [],
): KeyObject[] {
  const sources: { name: string; text: string }[] = [];
  for (const file of files) {
    try {
      sources.push({ name: file, text: readFileSync(file, "utf8") });
    } catch (error) {
      throw new UsageError(`cannot read key file ${file}: ${oneLine(error)}`);
    }
  }
  for (const name of envVars) {
    const text = process.env[name];
    if (text === undefined || text === "") {
      throw new UsageError(`environment variable ${name} (--key-env) is not set`);
    }
    sources.push({ name: `$${name}`, text });
  }
  const keys: KeyObject[] = [];
  for (const { name, text } of sources) {
    const blocks = pemBlocks(text);
    if (blocks.length === 0) {
      throw new UsageError(
        `${name}: not a PEM public key (a cosign.pub from cosign generate-key-pair)`,
      );
    }
    for (const block of blocks) {
      const key = parsePublicKey(block);
      if (typeof key === "string") throw new UsageError(`${name}: ${key}`);
      keys.push(key);
    }
  }
  return keys;
}
