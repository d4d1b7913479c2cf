import { isRecord } from "../../validation/is-record";
/**
 * What a cosign signature says it covers. Two payload shapes, one question each: does it name
 * exactly the digest asked for?
 * - the classic simple-signing payload (`application/vnd.dev.cosign.simplesigning.v1+json`):
 *   `critical.image.docker-manifest-digest` and `critical.type`;
 * - the in-toto statement inside a Sigstore bundle's DSSE envelope, which cosign's new bundle
 *   format signs: `subject[].digest.sha256` with predicate type `https://sigstore.dev/cosign/sign/v1`.
 */

/** `critical.type` of a cosign image signature. */
export const SIMPLE_SIGNING_TYPE = "cosign container image signature";
/** The in-toto predicate type cosign's `sign --new-bundle-format` uses for an image signature. */
export const COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The digest a simple-signing payload covers, or a reason it covers none.
 * @returns `{ digest }` or `{ problem }`
 */
export function simpleSigningDigest(payload: Buffer): { digest: string } | { problem: string } {
  const json = parseJson(payload);
  const critical = isRecord(json) ? json.critical : undefined;
  if (!isRecord(critical)) return { problem: "the signed payload has no critical section" };
  if (critical.type !== SIMPLE_SIGNING_TYPE) {
    return { problem: `the signed payload's critical.type is not "${SIMPLE_SIGNING_TYPE}"` };
  }
  const digest = isRecord(critical.image) ? critical.image["docker-manifest-digest"] : undefined;
  if (typeof digest !== "string") {
    return { problem: "the signed payload has no critical.image.docker-manifest-digest" };
  }
  return { digest };
}

/** The sha256 digests an in-toto statement's subjects name, or a reason it names none. */
export function statementDigests(payload: Buffer): { digests: string[] } | { problem: string } {
  const json = parseJson(payload);
  if (!isRecord(json)) return { problem: "the DSSE payload is not a JSON object" };
  if (json.predicateType !== COSIGN_SIGN_PREDICATE) {
    return {
      problem: `the statement's predicateType is ${JSON.stringify(json.predicateType)}, not a cosign image signature (${COSIGN_SIGN_PREDICATE})`,
    };
  }
  const subjects = Array.isArray(json.subject) ? json.subject : [];
  const digests = subjects
    .map((s) => (isRecord(s) && isRecord(s.digest) ? s.digest.sha256 : undefined))
    .filter((d): d is string => typeof d === "string")
    .map((hex) => `sha256:${hex}`);
  if (digests.length === 0) return { problem: "the statement names no sha256 subject" };
  return { digests };
}
