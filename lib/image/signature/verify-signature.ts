import { isRecord } from "../../validation/is-record";
import { createHash, verify, type KeyObject } from "node:crypto";
import { parseImageReference } from "../../policy/facts/image-reference";
import { keyFingerprint } from "./public-key";
import {
  RegistryClient,
  RegistryUnreachableError,
  type RegistryClientOptions,
} from "./registry-client";
import { IN_TOTO_PAYLOAD_TYPE, simpleSigningDigest, statementDigests } from "./signed-payload";

/**
 * Does a signature made with one of these keys cover exactly this digest? Reads the two places
 * cosign (v2.6) writes signatures:
 * - the classic `sha256-<hex>.sig` tag: an OCI manifest whose layers are simple-signing payloads,
 *   each with its signature in the `dev.cosignproject.cosign/signature` annotation;
 * - Sigstore bundles attached as OCI referrers (`--new-bundle-format`), found through the
 *   referrers API or, on registries without it, the `sha256-<hex>` referrers tag.
 * Every signature is checked with Node's `crypto.verify` against each key, and the signed payload
 * must name the digest asked for: a valid signature over another digest does not count.
 */

export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const BUNDLE_ARTIFACT_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";

const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");
const INDEX_ACCEPT = "application/vnd.oci.image.index.v1+json";

/** The reference or keys are unusable: exit code 2. */
export class SignatureInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignatureInputError";
    this.stack = `${this.name}: ${message}`;
  }
}

export type SignatureVerdict =
  | {
      readonly signed: true;
      /** Which key (fingerprint) and where the signature was found. */
      readonly key: string;
      readonly source: "signature tag" | "sigstore bundle";
      readonly reason: string;
    }
  | { readonly signed: false; readonly reason: string };

export type VerifySignatureOptions = RegistryClientOptions;

function json(body: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new RegistryUnreachableError(`${what} is not JSON`);
  }
  if (!isRecord(parsed)) throw new RegistryUnreachableError(`${what} is not a JSON object`);
  return parsed;
}

function verifiesWith(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    const algorithm = key.asymmetricKeyType === "ed25519" ? null : "sha256";
    return verify(algorithm, data, key, signature);
  } catch {
    return false;
  }
}

/** DSSE pre-authentication encoding: what a DSSE signature is made over. */
export function dssePae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

interface Tally {
  found: number;
  /** Signatures made with a trusted key whose payload names something else. */
  otherDigest: string[];
  problems: string[];
}

class SignatureReader {
  constructor(
    private readonly client: RegistryClient,
    private readonly digest: string,
    private readonly keys: readonly KeyObject[],
    private readonly tally: Tally,
  ) {}

  private async blob(digest: string): Promise<Buffer> {
    const response = await this.client.get(`blobs/${digest}`);
    if (response.status !== 200) {
      throw new RegistryUnreachableError(`blob ${digest} answered ${response.status}`);
    }
    const actual = `sha256:${createHash("sha256").update(response.body).digest("hex")}`;
    if (actual !== digest) {
      throw new RegistryUnreachableError(`blob ${digest} has content ${actual}`);
    }
    return response.body;
  }

  private matchingKey(data: Buffer, signature: Buffer): KeyObject | undefined {
    return this.keys.find((key) => verifiesWith(key, data, signature));
  }

  /** The classic `sha256-<hex>.sig` tag. */
  async fromSignatureTag(): Promise<SignatureVerdict | undefined> {
    const tag = `${this.digest.replace(":", "-")}.sig`;
    const response = await this.client.get(`manifests/${tag}`, MANIFEST_ACCEPT);
    if (response.status === 404) return undefined;
    if (response.status !== 200) {
      throw new RegistryUnreachableError(`signature tag ${tag} answered ${response.status}`);
    }
    const manifest = json(response.body, `the manifest of ${tag}`);
    const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
    for (const layer of layers) {
      if (!isRecord(layer) || typeof layer.digest !== "string") continue;
      const annotations = isRecord(layer.annotations) ? layer.annotations : {};
      const signature = annotations[SIGNATURE_ANNOTATION];
      if (typeof signature !== "string") continue;
      this.tally.found++;
      const payload = await this.blob(layer.digest);
      const key = this.matchingKey(payload, Buffer.from(signature, "base64"));
      if (!key) continue;
      const covered = simpleSigningDigest(payload);
      if ("problem" in covered) {
        this.tally.problems.push(covered.problem);
      } else if (covered.digest !== this.digest) {
        this.tally.otherDigest.push(covered.digest);
      } else {
        return {
          signed: true,
          key: keyFingerprint(key),
          source: "signature tag",
          reason: `signed by key ${keyFingerprint(key)} (cosign signature in tag ${tag})`,
        };
      }
    }
    return undefined;
  }

  /** The referrers of the digest: the referrers API, else the `sha256-<hex>` tag fallback. */
  private async referrers(): Promise<unknown[]> {
    const api = await this.client.get(`referrers/${this.digest}`, INDEX_ACCEPT);
    if (api.status === 200) {
      const index = json(api.body, `the referrers of ${this.digest}`);
      if (Array.isArray(index.manifests)) return index.manifests;
    }
    const tag = this.digest.replace(":", "-");
    const fallback = await this.client.get(`manifests/${tag}`, INDEX_ACCEPT);
    if (fallback.status !== 200) return [];
    const index = json(fallback.body, `the referrers tag ${tag}`);
    return Array.isArray(index.manifests) ? index.manifests : [];
  }

  /** Sigstore bundles attached as referrers. */
  async fromBundles(): Promise<SignatureVerdict | undefined> {
    for (const entry of await this.referrers()) {
      if (!isRecord(entry) || typeof entry.digest !== "string") continue;
      // The referrers tag cosign v2.6 writes lists bundles with the artifactType of their empty
      // config (application/vnd.oci.empty.v1+json), so the entry's type cannot be trusted to
      // find them: each referrer manifest is read, and its bundle layers are what count.
      const response = await this.client.get(`manifests/${entry.digest}`, MANIFEST_ACCEPT);
      if (response.status !== 200) continue;
      const manifest = json(response.body, `referrer ${entry.digest}`);
      const subject = isRecord(manifest.subject) ? manifest.subject.digest : undefined;
      if (subject !== this.digest) continue;
      const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
      for (const layer of layers) {
        if (!isRecord(layer) || typeof layer.digest !== "string") continue;
        const mediaType = typeof layer.mediaType === "string" ? layer.mediaType : "";
        if (!mediaType.startsWith(BUNDLE_ARTIFACT_TYPE_PREFIX)) continue;
        const bundle = json(await this.blob(layer.digest), `bundle ${layer.digest}`);
        const verdict = this.fromBundle(bundle, entry.digest);
        if (verdict) return verdict;
      }
    }
    return undefined;
  }

  private fromBundle(
    bundle: Record<string, unknown>,
    referrer: string,
  ): SignatureVerdict | undefined {
    const envelope = bundle.dsseEnvelope;
    if (!isRecord(envelope)) {
      if (isRecord(bundle.messageSignature)) {
        this.tally.found++;
        this.tally.problems.push(
          `bundle ${referrer} holds a message signature, which names no image digest; only DSSE bundles (cosign sign --new-bundle-format) are read`,
        );
      }
      return undefined;
    }
    const signatures = Array.isArray(envelope.signatures) ? envelope.signatures : [];
    if (typeof envelope.payload !== "string" || typeof envelope.payloadType !== "string") {
      return undefined;
    }
    const payload = Buffer.from(envelope.payload, "base64");
    const pae = dssePae(envelope.payloadType, payload);
    for (const s of signatures) {
      if (!isRecord(s) || typeof s.sig !== "string") continue;
      this.tally.found++;
      const key = this.matchingKey(pae, Buffer.from(s.sig, "base64"));
      if (!key) continue;
      if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
        this.tally.problems.push(`bundle ${referrer} signs a ${envelope.payloadType} payload`);
        continue;
      }
      const covered = statementDigests(payload);
      if ("problem" in covered) {
        this.tally.problems.push(covered.problem);
      } else if (!covered.digests.includes(this.digest)) {
        this.tally.otherDigest.push(...covered.digests);
      } else {
        return {
          signed: true,
          key: keyFingerprint(key),
          source: "sigstore bundle",
          reason: `signed by key ${keyFingerprint(key)} (Sigstore bundle, referrer ${referrer})`,
        };
      }
    }
    return undefined;
  }
}

/**
 * Verifies that `reference` (`name@sha256:<hex>`) carries a cosign signature made with one of
 * `keys` over exactly that digest.
 * @throws SignatureInputError when the reference is not pinned by digest or no key is given.
 * @throws RegistryUnreachableError when the registry cannot be asked.
 */
export async function verifyImageSignature(
  reference: string,
  keys: readonly KeyObject[],
  options: VerifySignatureOptions = {},
): Promise<SignatureVerdict> {
  const parsed = parseImageReference(reference);
  if (typeof parsed === "string") {
    throw new SignatureInputError(
      `${JSON.stringify(reference)} is not an image reference: ${parsed}`,
    );
  }
  if (!parsed.digest) {
    throw new SignatureInputError(
      `${reference} is not pinned by digest: signatures cover a digest, so name it as ${parsed.repository}@sha256:<64 hex>`,
    );
  }
  if (keys.length === 0) throw new SignatureInputError("no public key given");
  const client = new RegistryClient(parsed, options);
  const tally: Tally = { found: 0, otherDigest: [], problems: [] };
  const reader = new SignatureReader(client, parsed.digest, keys, tally);
  const verdict = (await reader.fromSignatureTag()) ?? (await reader.fromBundles());
  if (verdict) return verdict;
  const named = `${parsed.repository}@${parsed.digest}`;
  if (tally.otherDigest.length > 0) {
    return {
      signed: false,
      reason: `not signed: ${named} has a signature by the trusted key, but it covers ${[...new Set(tally.otherDigest)].join(", ")}, not ${parsed.digest}`,
    };
  }
  if (tally.problems.length > 0) {
    return { signed: false, reason: `not signed: ${named}: ${tally.problems.join("; ")}` };
  }
  if (tally.found > 0) {
    return {
      signed: false,
      reason: `not signed: ${named} has ${tally.found} signature(s), none made with the trusted key(s) ${keys.map(keyFingerprint).join(", ")}`,
    };
  }
  return {
    signed: false,
    reason: `not signed: ${named} has no cosign signature (no ${parsed.digest.replace(":", "-")}.sig tag, no Sigstore bundle referrer)`,
  };
}
