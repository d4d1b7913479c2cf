import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";

/**
 * A cosign public key (`cosign.pub`, or any PEM `PUBLIC KEY`): what `signedBy`, `verify-image
 * --key` and `audit --trusted-key` accept. Parsed once, here.
 */

const PEM_BLOCK_RE = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/** The PEM blocks of `text` (a key file may hold several). */
export function pemBlocks(text: string): string[] {
  return text.match(PEM_BLOCK_RE) ?? [];
}

/** Parses one PEM public key; returns a reason string when it is not one. */
export function parsePublicKey(pem: string): KeyObject | string {
  const blocks = pemBlocks(pem);
  if (blocks.length !== 1) {
    return blocks.length === 0
      ? "not a PEM public key (expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----, as in cosign.pub)"
      : "holds several PEM public keys: pass each key on its own";
  }
  try {
    const key = createPublicKey({ key: blocks[0], format: "pem" });
    const type = key.asymmetricKeyType;
    if (type !== "ec" && type !== "rsa" && type !== "ed25519") {
      return `a ${String(type)} key, which cosign does not sign with (ECDSA, RSA or Ed25519)`;
    }
    return key;
  } catch (error) {
    return `the PEM does not parse as a public key: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** zod schema of a PEM public key string (refined by parsing it). */
export const publicKeyPemSchema = z.string().superRefine((value, ctx) => {
  const parsed = parsePublicKey(value);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

/** A short, stable name for a key in messages: the SHA-256 of its SubjectPublicKeyInfo. */
export function keyFingerprint(key: KeyObject): string {
  const der = key.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(der).digest("hex").slice(0, 16)}`;
}
