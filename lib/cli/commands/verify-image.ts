import { Command, Option } from "commander";
import { readTrustedKeys } from "../trusted-keys";
import { RegistryUnreachableError } from "../../image/signature/registry-client";
import { SignatureInputError, verifyImageSignature } from "../../image/signature/verify-signature";
import { CliIo, ExitCode, oneLine, UsageError } from "../output";

/** Options of `hardened-docker verify-image`, as commander parses them. */
export interface VerifyImageCliOptions {
  readonly key?: readonly string[];
  readonly keyEnv?: readonly string[];
  readonly registryScheme?: "http" | "https";
}

function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/**
 * `hardened-docker verify-image <name@sha256:...> --key <cosign.pub>`: exit 0 when a cosign
 * signature made with one of the keys covers exactly that digest, 1 when none does, 2 on bad
 * input or when the registry cannot be reached. One line says which.
 */
export function registerVerifyImageCommand(
  program: Command,
  io: CliIo,
  outcome: { code?: number },
): void {
  program
    .command("verify-image")
    .description(
      "Check that a cosign signature made with a trusted key covers exactly this image digest. " +
        "Exit 0: signed; 1: not signed by the key(s); 2: bad input or registry unreachable",
    )
    .argument("<reference>", "the image, pinned by digest: registry/repository@sha256:<64 hex>")
    .option("--key <file>", "a cosign public key (PEM); repeat for several", collect)
    .option(
      "--key-env <var>",
      "an environment variable holding PEM public key(s); repeat for several",
      collect,
    )
    .addOption(
      new Option(
        "--registry-scheme <scheme>",
        "registry scheme (default: http for 127.0.0.1/localhost, else https)",
      ).choices(["http", "https"]),
    )
    .action(async (reference: string, options: VerifyImageCliOptions) => {
      outcome.code = await runVerifyImage(reference, options, io);
    });
}

/** Verifies and writes the one-line verdict; returns the exit code. */
export async function runVerifyImage(
  reference: string,
  options: VerifyImageCliOptions,
  io: CliIo,
): Promise<number> {
  if ((options.key ?? []).length + (options.keyEnv ?? []).length === 0) {
    throw new UsageError("name the trusted public key: --key <cosign.pub> (or --key-env VAR)");
  }
  const keys = readTrustedKeys(options.key ?? [], options.keyEnv ?? []);
  try {
    const verdict = await verifyImageSignature(reference, keys, {
      scheme: options.registryScheme,
    });
    if (verdict.signed) {
      io.stdout.write(`verified: ${reference} is ${verdict.reason}\n`);
      return ExitCode.ok;
    }
    io.stderr.write(`hardened-docker: ${verdict.reason}\n`);
    return ExitCode.findings;
  } catch (error) {
    if (error instanceof SignatureInputError) throw new UsageError(oneLine(error));
    if (error instanceof RegistryUnreachableError) {
      throw new UsageError(
        `cannot check the signature of ${reference}: registry unreachable: ${oneLine(error)}`,
      );
    }
    throw error;
  }
}
