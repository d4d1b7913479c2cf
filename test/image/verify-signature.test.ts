import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import {
  dssePae,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  verifyImageSignature,
} from "../../lib/image/signature/verify-signature";
import { RegistryUnreachableError } from "../../lib/image/signature/registry-client";
import {
  COSIGN_SIGN_PREDICATE,
  SIMPLE_SIGNING_TYPE,
} from "../../lib/image/signature/signed-payload";
import { runCli } from "../cli/cli-harness";

/**
 * The verifier against a registry served from memory, with signatures made by Node's crypto in
 * the shapes cosign v2.6.5 writes (see docs/signed-images.md; the e2e suite uses real cosign).
 */

const HEX = "ab".repeat(32);
const DIGEST = `sha256:${HEX}`;
const OTHER_DIGEST = `sha256:${"cd".repeat(32)}`;

function keyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

const trusted = keyPair();
const stranger = keyPair();

function sha(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

class MemoryRegistry {
  readonly manifests = new Map<string, Buffer>();
  readonly blobs = new Map<string, Buffer>();
  referrersApi = false;
  /** When set, every registry call needs `Authorization: Bearer <token>`, from GET /token. */
  token: string | undefined;
  private server = http.createServer((req, res) => this.answer(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  reset(): void {
    this.manifests.clear();
    this.blobs.clear();
    this.referrersApi = false;
    this.token = undefined;
  }
  blob(bytes: Buffer): string {
    const digest = sha(bytes);
    this.blobs.set(digest, bytes);
    return digest;
  }
  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.token !== undefined) {
      if (
        req.url?.startsWith("/token?") &&
        req.url.includes("scope=repository%3Ademo%2Fapp%3Apull")
      ) {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ token: this.token }));
        return;
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        res.writeHead(401, {
          "WWW-Authenticate": `Bearer realm="http://127.0.0.1:${this.port}/token",service="memory"`,
        });
        res.end();
        return;
      }
    }
    const m = /^\/v2\/demo\/app\/(manifests|blobs|referrers)\/(.+)$/.exec(req.url ?? "");
    const body =
      m?.[1] === "manifests"
        ? this.manifests.get(m[2])
        : m?.[1] === "blobs"
          ? this.blobs.get(m[2])
          : m?.[1] === "referrers" && this.referrersApi
            ? (this.manifests.get(`referrers:${m[2]}`) ??
              Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })))
            : undefined;
    res.writeHead(body ? 200 : 404);
    res.end(body);
  }

  /** The classic `sha256-<hex>.sig` tag: one layer per (payload digest, signing key). */
  signTag(forDigest: string, layers: { covers: string; key: KeyObject; type?: string }[]): void {
    const manifestLayers = layers.map(({ covers, key, type }) => {
      const payload = Buffer.from(
        JSON.stringify({
          critical: {
            identity: { "docker-reference": "127.0.0.1/demo/app" },
            image: { "docker-manifest-digest": covers },
            type: type ?? SIMPLE_SIGNING_TYPE,
          },
          optional: null,
        }),
      );
      return {
        mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
        size: payload.length,
        digest: this.blob(payload),
        annotations: { [SIGNATURE_ANNOTATION]: sign("sha256", payload, key).toString("base64") },
      };
    });
    this.manifests.set(
      `${forDigest.replace(":", "-")}.sig`,
      Buffer.from(JSON.stringify({ schemaVersion: 2, layers: manifestLayers })),
    );
  }

  /** A Sigstore bundle referrer, listed in the referrers tag (or API) of `forDigest`. */
  attachBundle(
    forDigest: string,
    covers: string,
    key: KeyObject,
    predicate = COSIGN_SIGN_PREDICATE,
  ): void {
    const statement = Buffer.from(
      JSON.stringify({
        _type: "https://in-toto.io/Statement/v1",
        subject: [{ digest: { sha256: covers.slice("sha256:".length) } }],
        predicateType: predicate,
      }),
    );
    const payloadType = "application/vnd.in-toto+json";
    const bundle = Buffer.from(
      JSON.stringify({
        mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
        dsseEnvelope: {
          payload: statement.toString("base64"),
          payloadType,
          signatures: [
            { sig: sign("sha256", dssePae(payloadType, statement), key).toString("base64") },
          ],
        },
      }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        artifactType: "application/vnd.dev.sigstore.bundle.v0.3+json",
        layers: [
          { mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json", digest: this.blob(bundle) },
        ],
        subject: { digest: forDigest },
      }),
    );
    const manifestDigest = sha(manifest);
    this.manifests.set(manifestDigest, manifest);
    // As cosign v2.6.5 lists it in the fallback tag: the empty config's artifact type.
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ digest: manifestDigest, artifactType: "application/vnd.oci.empty.v1+json" }],
      }),
    );
    this.manifests.set(
      this.referrersApi ? `referrers:${forDigest}` : forDigest.replace(":", "-"),
      index,
    );
  }
}

const registry = new MemoryRegistry();
const ref = () => `127.0.0.1:${registry.port}/demo/app@${DIGEST}`;

beforeAll(() => registry.start());
afterAll(() => registry.stop());
beforeEach(() => registry.reset());

describe("verifyImageSignature: the .sig tag", () => {
  test("signed by the trusted key over exactly the digest", async () => {
    registry.signTag(DIGEST, [{ covers: DIGEST, key: trusted.privateKey }]);
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toMatchObject({ signed: true, source: "signature tag" });
  });

  test("any of several keys will do; a stranger's signature beside it does not matter", async () => {
    registry.signTag(DIGEST, [
      { covers: DIGEST, key: stranger.privateKey },
      { covers: DIGEST, key: trusted.privateKey },
    ]);
    const verdict = await verifyImageSignature(ref(), [keyPair().publicKey, trusted.publicKey]);
    expect(verdict.signed).toBe(true);
  });

  test("no signature at all", async () => {
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toEqual({
      signed: false,
      reason: expect.stringMatching(/has no cosign signature/),
    });
  });

  test("signed by another key", async () => {
    registry.signTag(DIGEST, [{ covers: DIGEST, key: stranger.privateKey }]);
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toEqual({
      signed: false,
      reason: expect.stringMatching(/1 signature\(s\), none made with the trusted key/),
    });
  });

  test("the trusted key's signature over another digest, stored under this digest's tag", async () => {
    registry.signTag(DIGEST, [{ covers: OTHER_DIGEST, key: trusted.privateKey }]);
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toEqual({
      signed: false,
      reason: expect.stringContaining(`covers ${OTHER_DIGEST}, not ${DIGEST}`),
    });
  });

  test("a signed payload that is not an image signature", async () => {
    registry.signTag(DIGEST, [{ covers: DIGEST, key: trusted.privateKey, type: "something else" }]);
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toEqual({ signed: false, reason: expect.stringMatching(/critical\.type/) });
  });

  test("a blob whose content does not match its digest is refused, not trusted", async () => {
    registry.signTag(DIGEST, [{ covers: DIGEST, key: trusted.privateKey }]);
    const [digest] = [...registry.blobs.keys()];
    registry.blobs.set(digest, Buffer.from("{}"));
    await expect(verifyImageSignature(ref(), [trusted.publicKey])).rejects.toThrow(
      RegistryUnreachableError,
    );
  });
});

describe("verifyImageSignature: registry access", () => {
  test("fetches an anonymous pull token when the registry asks for one", async () => {
    registry.token = "anonymous-pull";
    registry.signTag(DIGEST, [{ covers: DIGEST, key: trusted.privateKey }]);
    expect((await verifyImageSignature(ref(), [trusted.publicKey])).signed).toBe(true);
  });
});

describe("verifyImageSignature: Sigstore bundles as referrers", () => {
  test("found through the sha256-<hex> referrers tag", async () => {
    registry.attachBundle(DIGEST, DIGEST, trusted.privateKey);
    const verdict = await verifyImageSignature(ref(), [trusted.publicKey]);
    expect(verdict).toMatchObject({ signed: true, source: "sigstore bundle" });
  });

  test("found through the referrers API", async () => {
    registry.referrersApi = true;
    registry.attachBundle(DIGEST, DIGEST, trusted.privateKey);
    expect((await verifyImageSignature(ref(), [trusted.publicKey])).signed).toBe(true);
  });

  test("a statement about another digest, or an attestation, is not a signature of this one", async () => {
    registry.attachBundle(DIGEST, OTHER_DIGEST, trusted.privateKey);
    expect(await verifyImageSignature(ref(), [trusted.publicKey])).toEqual({
      signed: false,
      reason: expect.stringContaining(`covers ${OTHER_DIGEST}`),
    });
    registry.reset();
    registry.attachBundle(DIGEST, DIGEST, trusted.privateKey, "https://spdx.dev/Document");
    expect(await verifyImageSignature(ref(), [trusted.publicKey])).toEqual({
      signed: false,
      reason: expect.stringMatching(/not a cosign image signature/),
    });
  });

  test("a bundle signed by another key", async () => {
    registry.attachBundle(DIGEST, DIGEST, stranger.privateKey);
    expect((await verifyImageSignature(ref(), [trusted.publicKey])).signed).toBe(false);
  });
});

describe("hardened-docker verify-image without a registry", () => {
  test("exit 2 for a tag, a missing key, a key file that is not a public key", async () => {
    const tag = await runCli(["verify-image", "127.0.0.1:5000/demo/app:1", "--key", __filename]);
    expect(tag.code).toBe(2);
    const noKey = await runCli(["verify-image", `127.0.0.1:5000/demo/app@${DIGEST}`]);
    expect(noKey).toMatchObject({ code: 2, stderr: expect.stringMatching(/--key <cosign.pub>/) });
    const notPem = await runCli([
      "verify-image",
      `127.0.0.1:5000/demo/app@${DIGEST}`,
      "--key",
      __filename,
    ]);
    expect(notPem).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not a PEM public key/),
    });
  });

  test("exit 2 when the registry does not answer", async () => {
    registry.signTag(DIGEST, [{ covers: DIGEST, key: trusted.privateKey }]);
    const keyFile = `${tmpdir()}/hd-verify-${process.pid}.pub`;
    writeFileSync(keyFile, trusted.publicKey.export({ type: "spki", format: "pem" }));
    try {
      const ok = await runCli(["verify-image", ref(), "--key", keyFile]);
      expect(ok.code).toBe(0);
      const down = await runCli([
        "verify-image",
        `127.0.0.1:1/demo/app@${DIGEST}`,
        "--key",
        keyFile,
      ]);
      expect(down).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/registry unreachable/),
      });
    } finally {
      rmSync(keyFile, { force: true });
    }
  });
});
