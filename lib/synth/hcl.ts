import { ParsedJson } from "./parse-json";
import { readBoundedFile } from "./read-file";
import { SynthInputError } from "./synth-input-error";

/**
 * HCL (`.tf`) files as Terraform JSON, through `@cdktf/hcl2json` (HashiCorp's HCL parser compiled
 * to WebAssembly, the one cdktf itself uses). Blocks come out in the array forms the reader
 * accepts; expressions come out as `${...}` strings, which every attribute reader takes as only
 * known at apply time. Line numbers are not known for HCL.
 *
 * The parser is loaded here, on the first `.tf` file, not when the module loads: loading it
 * compiles its WebAssembly, about half a second that every CLI command paid at start-up before.
 */
export async function parseHclFile(file: string): Promise<ParsedJson> {
  const text = readBoundedFile(file, "the HCL configuration");
  const { parse } = await import("@cdktf/hcl2json");
  let value: unknown;
  try {
    value = await parse(file, text);
  } catch (error) {
    // The parser's message can quote the file; keep only where it points.
    const where = /:(\d+),(\d+)/.exec(String(error instanceof Error ? error.message : error));
    throw new SynthInputError(
      `${file}: not valid HCL${where ? ` (line ${where[1]}, column ${where[2]})` : ""}: run \`terraform validate\` on it`,
    );
  }
  return { value, lineOf: () => undefined };
}
