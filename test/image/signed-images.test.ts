import { generateKeyPairSync } from "node:crypto";
import { Testing } from "cdktf";
import {
  ContainerImage,
  HardenedContainer,
  HardenedService,
  REQUIRE_SIGNED_IMAGES_CONTEXT,
} from "../../lib";
import { execFileSync } from "node:child_process";
import {
  IMAGE_ENV,
  parseSignatureStep,
  TRUSTED_KEYS_ENV,
  VERIFY_IMAGE_COMMAND,
} from "../../lib/image/signature/signature-step";
import {
  baseProps,
  DIGEST,
  Json,
  PINNED_IMAGE,
  synthHardened,
  validationErrorOf,
} from "../support/hardened-synth";
import { dockerStack, serviceProps, synthesized } from "../support/swarm-synth";

function publicKeyPem(): string {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

const KEY = publicKeyPem();
const OTHER_KEY = publicKeyPem();

/** The image-signature steps among the stack's terraform_data, by resource name. */
function signatureSteps(resources: Json): [string, Json][] {
  return Object.entries((resources.terraform_data ?? {}) as Record<string, Json>).filter(
    ([, body]) => parseSignatureStep(body) !== undefined,
  );
}

describe("ContainerImage.pinned(ref, { signedBy })", () => {
  test("synthesizes a verify-image step on the digest, and the container depends on it", () => {
    const { resources, container } = synthHardened(
      baseProps({ image: ContainerImage.pinned(PINNED_IMAGE, { signedBy: [KEY, OTHER_KEY] }) }),
    );
    const steps = signatureSteps(resources);
    expect(steps).toHaveLength(1);
    const [name, body] = steps[0];
    const step = parseSignatureStep(body);
    expect(step?.reference).toBe(PINNED_IMAGE);
    expect(step?.keysPem).toContain(KEY.trim());
    expect(step?.keysPem).toContain(OTHER_KEY.trim());
    expect(container.depends_on).toEqual([`terraform_data.${name}`]);
    // A new digest replaces the step, so it verifies again.
    expect(body.triggers_replace).toEqual({ image: PINNED_IMAGE });
  });

  test("verifies the digest alone when the reference also names a tag", () => {
    const tagged = `registry.example.com/payments/api:1.4@${DIGEST}`;
    const { resources } = synthHardened(
      baseProps({ image: ContainerImage.pinned(tagged, { signedBy: [KEY] }) }),
    );
    const [[, body]] = signatureSteps(resources);
    expect(parseSignatureStep(body)?.reference).toBe(PINNED_IMAGE);
  });

  test("without signedBy there is no step and no dependency", () => {
    const { resources, container } = synthHardened(baseProps());
    expect(signatureSteps(resources)).toHaveLength(0);
    expect(container.depends_on).toBeUndefined();
  });

  test("a key that is not a PEM public key fails at synth, naming the field and the fix", () => {
    const error = validationErrorOf(() =>
      ContainerImage.pinned(PINNED_IMAGE, { signedBy: ["-----BEGIN PRIVATE KEY-----"] }),
    );
    expect(error.problems[0]).toMatchObject({ field: "signedBy.0" });
    expect(error.problems[0].message).toMatch(/not a PEM public key.*cosign\.pub/);
  });

  test("a corrupt PEM block fails at synth", () => {
    const corrupt = KEY.replace(/[A-Za-z]{8}/, "AAAAAAAA");
    const error = validationErrorOf(() =>
      ContainerImage.pinned(PINNED_IMAGE, { signedBy: [corrupt] }),
    );
    expect(error.problems[0].message).toMatch(/does not parse as a public key/);
  });
});

describe("ContainerImage.fromRegistryTag(..., { signedBy })", () => {
  test("verifies the resolved digest before the image is pulled and the container created", () => {
    const stack = dockerStack();
    const image = ContainerImage.fromRegistryTag(stack, "api-image", "127.0.0.1:5000/hd/web:1", {
      signedBy: [KEY],
    });
    new HardenedContainer(stack, "api", baseProps({ image }));
    const { of } = synthesized(stack);
    const steps = signatureSteps({ terraform_data: of("terraform_data") });
    expect(steps).toHaveLength(1);
    const [name, body] = steps[0];
    const registry = Object.keys(JSON.parse(Testing.synth(stack)).data.docker_registry_image)[0];
    expect(parseSignatureStep(body)?.reference).toBe(
      `127.0.0.1:5000/hd/web@\${data.docker_registry_image.${registry}.sha256_digest}`,
    );
    const [dockerImage] = Object.values(of("docker_image")) as Json[];
    expect(dockerImage.depends_on).toEqual([`terraform_data.${name}`]);
    const [container] = Object.values(of("docker_container")) as Json[];
    expect(container.depends_on).toEqual([`terraform_data.${name}`]);
  });

  test("the registry's answer never reaches the shell: the command is constant, the reference is in the environment", () => {
    const stack = dockerStack();
    const image = ContainerImage.fromRegistryTag(stack, "api-image", "127.0.0.1:5000/hd/web:1", {
      signedBy: [KEY],
    });
    new HardenedContainer(stack, "api", baseProps({ image }));
    const { of } = synthesized(stack);
    const [[, body]] = signatureSteps({ terraform_data: of("terraform_data") });
    const [provisioner] = body.provisioner as { "local-exec": Json }[];
    const localExec = provisioner["local-exec"];
    expect(localExec.command).toBe(VERIFY_IMAGE_COMMAND);
    expect(localExec.command).not.toContain("${");
    expect((localExec.environment as Json)[IMAGE_ENV]).toMatch(/sha256_digest\}$/);
  });

  test("a digest a hostile registry answers with a shell command stays one argument", () => {
    // What Terraform's local-exec does: /bin/sh -c COMMAND with the step's environment.
    const hostile = "127.0.0.1:5000/hd/web@sha256:00;touch /tmp/hd-pwned-$$;";
    const echoed = execFileSync(
      "/bin/sh",
      ["-c", VERIFY_IMAGE_COMMAND.replace(/^hardened-docker /, "printf '%s\\n' ")],
      { env: { ...process.env, [IMAGE_ENV]: hostile, [TRUSTED_KEYS_ENV]: KEY } },
    ).toString();
    expect(echoed.split("\n")).toEqual([
      "verify-image",
      hostile,
      "--key-env",
      TRUSTED_KEYS_ENV,
      "",
    ]);
  });
});

describe(`the ${REQUIRE_SIGNED_IMAGES_CONTEXT} context`, () => {
  const requiring = () => Testing.app({ context: { [REQUIRE_SIGNED_IMAGES_CONTEXT]: true } });

  test("makes an image without keys an error at synth naming path, field, value and fix", () => {
    const error = validationErrorOf(() => synthHardened(baseProps(), requiring()));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      constructPath: "stack/api",
      field: "image",
      value: PINNED_IMAGE,
    });
    expect(error.problems[0].message).toMatch(/requires signed images.*signedBy/);
  });

  test("accepts an image that names its signing key", () => {
    const { resources } = synthHardened(
      baseProps({ image: ContainerImage.pinned(PINNED_IMAGE, { signedBy: [KEY] }) }),
      requiring(),
    );
    expect(signatureSteps(resources)).toHaveLength(1);
  });

  test("the string 'true' from cdktf synth --context counts", () => {
    const app = Testing.app({ context: { [REQUIRE_SIGNED_IMAGES_CONTEXT]: "true" } });
    expect(() => synthHardened(baseProps(), app)).toThrow(/requires signed images/);
  });

  test("applies to HardenedService too, whose service depends on the step", () => {
    const unsigned = dockerStack(requiring());
    expect(() => new HardenedService(unsigned, "web", serviceProps(unsigned))).toThrow(
      /stack\/web: image = .*requires signed images/,
    );
    const stack = dockerStack(requiring());
    new HardenedService(
      stack,
      "web",
      serviceProps(stack, { image: ContainerImage.pinned(PINNED_IMAGE, { signedBy: [KEY] }) }),
    );
    const { of } = synthesized(stack);
    const steps = signatureSteps({ terraform_data: of("terraform_data") });
    expect(steps).toHaveLength(1);
    const [service] = Object.values(of("docker_service")) as Json[];
    expect(service.depends_on).toEqual([`terraform_data.${steps[0][0]}`]);
    expect(
      (
        (steps[0][1].provisioner as Json[])[0]["local-exec"] as {
          environment: Record<string, string>;
        }
      ).environment[TRUSTED_KEYS_ENV],
    ).toContain("BEGIN PUBLIC KEY");
  });
});
