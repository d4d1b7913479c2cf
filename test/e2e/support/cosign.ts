import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { E2E_REGISTRY } from "./registry";
import { buildLocalImage } from "../../host/support/busybox-image";

const run = promisify(execFile);

/**
 * Real cosign signatures for the signed-image e2e suite: key pairs made by `cosign
 * generate-key-pair` (empty password, non-interactive), busybox images pushed to the loopback
 * registry, signed with `cosign sign --key ... --tlog-upload=false` (no Rekor: there is no
 * internet here, and the keyed signature is what the library checks).
 */

async function command(
  file: string,
  args: readonly string[],
  what: string,
  cwd?: string,
): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, DOCKER_BUILDKIT: "0", COSIGN_PASSWORD: "", COSIGN_YES: "true" },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`${what} failed: ${(e.stderr ?? e.message ?? String(error)).trim()}`);
  }
}

export interface CosignKeyPair {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  readonly publicKeyPem: string;
}

/** `cosign generate-key-pair` into `dir` with the file prefix `name`. */
export async function generateKeyPair(
  cosign: string,
  dir: string,
  name: string,
): Promise<CosignKeyPair> {
  await command(
    cosign,
    ["generate-key-pair", "--output-key-prefix", name],
    "cosign generate-key-pair",
    dir,
  );
  const publicKeyFile = path.join(dir, `${name}.pub`);
  return {
    privateKeyFile: path.join(dir, `${name}.key`),
    publicKeyFile,
    publicKeyPem: await readFile(publicKeyFile, "utf8"),
  };
}

/** `cosign sign` of a digest reference with a key; `bundle` uses the new Sigstore bundle format. */
export async function sign(
  cosign: string,
  reference: string,
  key: CosignKeyPair,
  options: { bundle?: boolean } = {},
): Promise<void> {
  await command(
    cosign,
    [
      "sign",
      "--key",
      key.privateKeyFile,
      "--tlog-upload=false",
      ...(options.bundle ? ["--new-bundle-format"] : []),
      "--yes",
      reference,
    ],
    `cosign sign ${reference}`,
  );
}

/** Repository of the suite's images in the loopback registry. */
export const SIGNED_REPOSITORY = `${E2E_REGISTRY}/hd-cosign-e2e/worker`;

export interface PushedImage {
  /** `127.0.0.1:5000/hd-cosign-e2e/worker:<tag>` */
  readonly tag: string;
  /** `127.0.0.1:5000/hd-cosign-e2e/worker@sha256:...` */
  readonly digest: string;
}

/**
 * Builds a busybox image FROM scratch whose content is unique to `variant` (a label), so every
 * run signs fresh digests and no signature from an earlier run counts; pushes it under `tag`.
 */
export async function buildAndPush(tag: string, variant: string): Promise<PushedImage> {
  const reference = `${SIGNED_REPOSITORY}:${tag}`;
  await buildLocalImage(reference, undefined, { "io.hardened-docker.test.variant": variant });
  await command("docker", ["push", reference], `docker push ${reference}`);
  const digests = JSON.parse(
    await command("docker", ["inspect", "-f", "{{json .RepoDigests}}", reference], "inspect"),
  ) as string[];
  const digest = digests.find((d) => d.startsWith(`${SIGNED_REPOSITORY}@sha256:`));
  if (!digest) throw new Error(`${reference} has no ${SIGNED_REPOSITORY}@ digest: ${digests}`);
  return { tag: reference, digest };
}

/** Removes the local copy of a pushed image (the registry keeps its copy). */
export async function removeLocalImage(reference: string): Promise<void> {
  await run("docker", ["image", "rm", reference]).catch(() => undefined);
}
