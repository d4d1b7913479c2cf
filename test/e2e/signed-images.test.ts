import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { ContainerImage, HardenedContainer } from "../../lib";
import { addDays } from "../../lib/policy/facts/iso-date";
import { runCli } from "../cli/cli-harness";
import { inventoryReportSchema } from "../../lib/host/inventory";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { cosignDescribe, cosignGate } from "../support/cosign-gate";
import {
  buildAndPush,
  generateKeyPair,
  removeLocalImage,
  sign,
  SIGNED_REPOSITORY,
  type CosignKeyPair,
  type PushedImage,
} from "./support/cosign";
import { docker, sweepSuite, testLabels } from "./support/engine";
import { E2E_REGISTRY } from "./support/registry";
import { StackDeployment, TerraformDeployer } from "../support/terraform-deploy";

/**
 * Signed images on the real engine, with real cosign signatures in the loopback registry: a
 * HardenedContainer whose image names a trusted key deploys with terraform apply (its
 * image-signature step runs `hardened-docker verify-image` in a local-exec provisioner) only when
 * a signature by that key covers the digest that will run. Unsigned, signed by another key, and a
 * tag re-pushed after signing are each refused before the container exists.
 */

jest.setTimeout(180_000);

const SUITE = "signed-images";
const PREFIX = "hd-cosign-e2e";
const LABELS = testLabels(SUITE);
const gate = cosignGate("signed images (cosign)");

/**
 * A stack of one HardenedContainer named `hd-cosign-e2e-<name>` running `image`, which must be
 * signed by `key`. The provider's `docker_registry_image` data source (what fromRegistryTag
 * reads) speaks HTTPS unless the registry's `registry_auth` address says `http://` (4.x), as it
 * must for the plain-HTTP loopback registry; the registry asks for no credentials.
 */
function signedStack(name: string, image: (stack: TerraformStack) => ContainerImage) {
  const stackName = `${PREFIX}-${name}`;
  const stack = new TerraformStack(Testing.app(), stackName);
  new DockerProvider(stack, "docker", {
    registryAuth: [{ address: `http://${E2E_REGISTRY}`, authDisabled: true }],
  });
  new HardenedContainer(stack, "app", {
    image: image(stack),
    name: stackName,
    command: ["sleep", "3600"],
    audit: {
      owner: "platform-team",
      purpose: "signed image end-to-end test",
      expires: addDays(new Date(), 120),
      deployedBy: "jest",
    },
    healthcheck: { test: ["CMD", "/bin/true"], intervalSeconds: 5, startPeriodSeconds: 1 },
  });
  return stack;
}

function fromTag(tag: string, key: CosignKeyPair) {
  return (stack: TerraformStack) =>
    ContainerImage.fromRegistryTag(stack, "image", tag, { signedBy: [key.publicKeyPem] });
}

async function containersNamed(name: string): Promise<string[]> {
  const found = await docker().listContainers({ all: true, filters: { name: [name] } });
  return found.filter((c) => c.Names.includes(`/${name}`)).map((c) => c.Id);
}

/** Stores `manifest` (raw bytes) under `tag` in the suite's repository. */
function putManifest(tag: string, manifest: Buffer, mediaType: string): Promise<number> {
  const [host, port] = SIGNED_REPOSITORY.split("/")[0].split(":");
  const repo = SIGNED_REPOSITORY.split("/").slice(1).join("/");
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host,
        port,
        method: "PUT",
        path: `/v2/${repo}/manifests/${tag}`,
        headers: { "Content-Type": mediaType },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(manifest);
  });
}

function getManifest(tag: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(
        `http://${SIGNED_REPOSITORY.replace("/", "/v2/")}/manifests/${tag}`,
        { headers: { Accept: "application/vnd.oci.image.manifest.v1+json" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(Buffer.concat(chunks)));
        },
      )
      .on("error", reject);
  });
}

cosignDescribe("signed images (cosign)", gate)("signed images on the real engine", () => {
  const cosign = gate.run ? (gate.cosign ?? "cosign") : "cosign";
  let keyDir = "";
  let trusted: CosignKeyPair;
  let other: CosignKeyPair;
  const images: Record<string, PushedImage> = {};
  /** The digest the moved tag held when it was signed. */
  let movedSignedDigest = "";
  let deployer: TerraformDeployer | undefined;
  const nonce = `${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    await sweepSuite(SUITE);
    deployer = new TerraformDeployer(SUITE);
    keyDir = await mkdtemp(path.join(tmpdir(), "hd-cosign-keys-"));
    trusted = await generateKeyPair(cosign, keyDir, "trusted");
    other = await generateKeyPair(cosign, keyDir, "other");
    for (const name of ["signed", "bundle", "other-key", "unsigned", "copied"]) {
      images[name] = await buildAndPush(name, `${name}-${nonce}`);
    }
    await sign(cosign, images.signed.digest, trusted);
    await sign(cosign, images.bundle.digest, trusted, { bundle: true });
    await sign(cosign, images["other-key"].digest, other);
    // The tag "moved": signed by the trusted key, then re-pushed with new, unsigned content.
    const before = await buildAndPush("moved", `moved-before-${nonce}`);
    await sign(cosign, before.digest, trusted);
    movedSignedDigest = before.digest;
    images.moved = await buildAndPush("moved", `moved-after-${nonce}`);
    // "copied": the trusted key's signature of another digest, stored as this digest's signature.
    const signedSig = `${images.signed.digest.split("@")[1].replace(":", "-")}.sig`;
    const copiedSig = `${images.copied.digest.split("@")[1].replace(":", "-")}.sig`;
    const status = await putManifest(
      copiedSig,
      await getManifest(signedSig),
      "application/vnd.oci.image.manifest.v1+json",
    );
    if (status !== 201) throw new Error(`copying the signature manifest answered ${status}`);
  }, 300_000);

  afterAll(async () => {
    await deployer?.destroyAll();
    await sweepSuite(SUITE);
    for (const image of Object.values(images)) {
      await removeLocalImage(image.tag);
      await removeLocalImage(image.digest);
    }
    if (movedSignedDigest) await removeLocalImage(movedSignedDigest);
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  describe("hardened-docker verify-image", () => {
    test("exit 0 for a classic .sig signature by the key over exactly the digest", async () => {
      const r = await runCli([
        "verify-image",
        images.signed.digest,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(
        /^verified: .* is signed by key sha256:[0-9a-f]{16} \(cosign signature in tag sha256-[0-9a-f]{64}\.sig\)\n$/,
      );
    });

    test("exit 0 for a Sigstore bundle attached as an OCI referrer (--new-bundle-format)", async () => {
      const r = await runCli([
        "verify-image",
        images.bundle.digest,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Sigstore bundle, referrer sha256:/);
    });

    test("exit 1 for an unsigned image, with the reason", async () => {
      const r = await runCli([
        "verify-image",
        images.unsigned.digest,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not signed: .* has no cosign signature/);
    });

    test("exit 1 for an image signed by another key", async () => {
      const r = await runCli([
        "verify-image",
        images["other-key"].digest,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/has 1 signature\(s\), none made with the trusted key/);
      const withOther = await runCli([
        "verify-image",
        images["other-key"].digest,
        "--key",
        other.publicKeyFile,
      ]);
      expect(withOther.code).toBe(0);
    });

    test("exit 1 when the trusted key's signature covers another digest", async () => {
      const r = await runCli([
        "verify-image",
        images.copied.digest,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `covers ${images.signed.digest.split("@")[1]}, not ${images.copied.digest.split("@")[1]}`,
      );
    });

    test("exit 2 for a tag reference and for a registry that does not answer", async () => {
      const tag = await runCli(["verify-image", images.signed.tag, "--key", trusted.publicKeyFile]);
      expect(tag.code).toBe(2);
      expect(tag.stderr).toMatch(/is not pinned by digest/);
      const digest = images.signed.digest.split("@")[1];
      const down = await runCli([
        "verify-image",
        `127.0.0.1:1/x/y@${digest}`,
        "--key",
        trusted.publicKeyFile,
      ]);
      expect(down.code).toBe(2);
      expect(down.stderr).toMatch(/registry unreachable: .*ECONNREFUSED/);
    });
  });

  describe("deploying with terraform apply", () => {
    /** Prepares the stack `hd-cosign-e2e-<name>` in the suite's deployer. */
    function prepare(
      name: string,
      image: (stack: TerraformStack) => ContainerImage,
    ): Promise<StackDeployment> {
      if (!deployer) throw new Error("no deployer (see beforeAll)");
      return deployer.prepare(signedStack(name, image));
    }

    /** The apply failed in the image-signature step, with `reason`, and no container exists. */
    async function expectRefused(name: string, log: string, status: number, reason: RegExp) {
      expect(status).not.toBe(0);
      expect(log).toMatch(/Error: local-exec provisioner error/);
      expect(log).toMatch(reason);
      expect(log).not.toMatch(/docker_container\.\S+: Creating/);
      expect(await containersNamed(`${PREFIX}-${name}`)).toEqual([]);
    }

    test("an image signed by the trusted key deploys, after its signature step", async () => {
      const stack = await prepare("signed", fromTag(images.signed.tag, trusted));
      const { log } = await stack.apply();
      const verified = log.indexOf(`verified: ${images.signed.digest} is signed by key`);
      const pulled = log.search(/docker_image\.\S+: Creating/);
      expect(verified).toBeGreaterThanOrEqual(0);
      expect(pulled).toBeGreaterThan(verified);
      expect(await containersNamed(`${PREFIX}-signed`)).toHaveLength(1);
    });

    test("a digest-pinned image signed in the bundle format deploys", async () => {
      const stack = await prepare("bundle", () =>
        ContainerImage.pinned(images.bundle.digest, { signedBy: [trusted.publicKeyPem] }),
      );
      const { log } = await stack.apply();
      expect(log).toContain(`verified: ${images.bundle.digest} is signed by key`);
      expect(await containersNamed(`${PREFIX}-bundle`)).toHaveLength(1);
    });

    test.each([
      ["unsigned", /not signed: .* has no cosign signature/],
      ["other-key", /not signed: .* none made with the trusted key/],
      ["moved", /not signed: .* has no cosign signature/],
      ["copied", /not signed: .* covers sha256:[0-9a-f]{64}, not sha256:/],
    ])("%s: refused before a container is created, with the reason", async (name, reason) => {
      const stack = await prepare(name, fromTag(images[name].tag, trusted));
      const { log, status } = await stack.tryApply();
      await expectRefused(name, log, status, reason);
    });

    test("moved: the digest refused is the new one, not the one that was signed", async () => {
      expect(images.moved.digest).not.toBe(movedSignedDigest);
      const r = await runCli(["verify-image", movedSignedDigest, "--key", trusted.publicKeyFile]);
      expect(r.code).toBe(0);
      const stack = await prepare("moved-again", fromTag(images.moved.tag, trusted));
      const { log, status } = await stack.tryApply();
      await expectRefused("moved-again", log, status, /not signed: .* has no cosign signature/);
      expect(log).toContain(images.moved.digest);
      expect(log).not.toContain(movedSignedDigest);
    });
  });
  describe("audit --host --trusted-key and inventory", () => {
    // The suite's containers by name: the Terraform-deployed ones carry no test label.
    const FILTER = ["--filter", `name=${PREFIX}-`];
    const unsignedName = `${PREFIX}-loose-unsigned`;

    beforeAll(async () => {
      // Run by hand, not through the signature step: what a host audit exists to catch.
      const container = await docker().createContainer({
        name: unsignedName,
        Image: images.unsigned.digest,
        Cmd: ["sleep", "3600"],
        User: "65534:65534",
        Labels: LABELS,
      });
      await container.start();
    });

    test("HD-IMAGE-SIGNED passes the signed containers and fails the unsigned one", async () => {
      const r = await runCli([
        "audit",
        "--host",
        ...FILTER,
        "--trusted-key",
        trusted.publicKeyFile,
        "--format",
        "json",
      ]);
      const report = jsonReportSchema.parse(JSON.parse(r.stdout));
      const signedRule = Object.fromEntries(
        report.findings
          .filter((f) => f.ruleId === "HD-IMAGE-SIGNED")
          .map((f) => [f.resource, [f.status, f.message]]),
      );
      expect(signedRule[`container:/${PREFIX}-signed`]).toEqual([
        "pass",
        expect.stringMatching(/signed by key sha256:/),
      ]);
      expect(signedRule[`container:/${PREFIX}-bundle`]).toEqual([
        "pass",
        expect.stringMatching(/Sigstore bundle/),
      ]);
      expect(signedRule[`container:/${unsignedName}`]).toEqual([
        "fail",
        expect.stringMatching(/not signed: .* has no cosign signature/),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`HD-IMAGE-SIGNED container:/${unsignedName}`);
    });

    test("without --trusted-key the rule is not applicable, with the reason", async () => {
      const r = await runCli(["audit", "--host", ...FILTER, "--format", "json"]);
      const report = jsonReportSchema.parse(JSON.parse(r.stdout));
      const verdicts = report.findings.filter((f) => f.ruleId === "HD-IMAGE-SIGNED");
      expect(verdicts.length).toBeGreaterThanOrEqual(3);
      for (const f of verdicts) {
        expect(f.status).toBe("not-applicable");
        expect(f.message).toMatch(/no trusted key given/);
      }
    });

    test("inventory --trusted-key flags the unsigned image", async () => {
      const r = await runCli([
        "inventory",
        ...FILTER,
        "--trusted-key",
        trusted.publicKeyFile,
        "--format",
        "json",
      ]);
      expect(r.code).toBe(0);
      const report = inventoryReportSchema.parse(JSON.parse(r.stdout));
      const byName = Object.fromEntries(report.containers.map((c) => [c.name, c]));
      expect(byName[`${PREFIX}-signed`].imageSigned).toBe(true);
      expect(byName[`${PREFIX}-signed`].flags).not.toContain("unsigned-image");
      expect(byName[unsignedName].imageSigned).toBe(false);
      expect(byName[unsignedName].flags).toContain("unsigned-image");
    });
  });
});
