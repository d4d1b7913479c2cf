import { App, TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { ContainerImage, HardenedContainer, TRUSTED_REGISTRIES_CONTEXT } from "../../lib";
import { AuditLabel } from "../../lib/policy/facts/labels";
import { resolveHardenedContainerProps } from "../../lib/container/resolve-props";
import { baseProps, labelsOf, synthHardened, validationErrorOf } from "../support/hardened-synth";

describe("deployed-by", () => {
  const context = { constructPath: "s/api", defaultName: "s-api" };
  const props = { ...baseProps(), audit: { owner: "o", purpose: "p", expires: "2026-06-30" } };

  test("comes from the environment when not given, in the documented order", () => {
    const spec = resolveHardenedContainerProps(props, {
      ...context,
      env: { USER: "alice", GITHUB_ACTOR: "ci-actor" },
    });
    expect(spec.labels[AuditLabel.deployedBy]).toBe("ci-actor");
    const explicit = resolveHardenedContainerProps(props, {
      ...context,
      env: { HARDENED_DOCKER_DEPLOYED_BY: "release-bot", USER: "alice" },
    });
    expect(explicit.labels[AuditLabel.deployedBy]).toBe("release-bot");
  });

  test("fails synth when nobody is known", () => {
    const error = validationErrorOf(() =>
      resolveHardenedContainerProps(props, { ...context, env: { USER: "  " } }),
    );
    expect(error.problems[0].field).toBe("audit.deployedBy");
  });

  test("ticket and contact are optional labels", () => {
    const { container } = synthHardened(
      baseProps({
        audit: {
          owner: "o",
          purpose: "p",
          expires: "2026-06-30",
          deployedBy: "x",
          ticket: "PAY-1",
          contact: "#pay",
        },
      }),
    );
    expect(labelsOf(container)).toMatchObject({
      [AuditLabel.ticket]: "PAY-1",
      [AuditLabel.contact]: "#pay",
    });
  });
});

describe("images", () => {
  test("fromRegistryTag resolves the tag at plan time and pins a docker_image to the digest", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    new DockerProvider(stack, "docker", {});
    const image = ContainerImage.fromRegistryTag(stack, "api-image", "127.0.0.1:5000/hd/web:1");
    new HardenedContainer(stack, "api", baseProps({ image }));
    const json = JSON.parse(Testing.synth(stack));
    const [dataName] = Object.keys(json.data.docker_registry_image);
    expect(json.data.docker_registry_image[dataName]).toMatchObject({
      name: "127.0.0.1:5000/hd/web:1",
    });
    const [imageName] = Object.keys(json.resource.docker_image);
    const digestRef = `\${data.docker_registry_image.${dataName}.sha256_digest}`;
    expect(json.resource.docker_image[imageName]).toMatchObject({
      name: `127.0.0.1:5000/hd/web@${digestRef}`,
      pull_triggers: [digestRef],
      keep_locally: true,
    });
    const [container] = Object.values(json.resource.docker_container) as { image: string }[];
    expect(container.image).toBe(`\${docker_image.${imageName}.image_id}`);
  });

  test("fromRegistryTag refuses a reference without a tag or already pinned", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    expect(() => ContainerImage.fromRegistryTag(stack, "a", "127.0.0.1:5000/hd/web")).toThrow(
      /name a tag to resolve/,
    );
    expect(() =>
      ContainerImage.fromRegistryTag(stack, "b", `hd/web@sha256:${"0".repeat(64)}`),
    ).toThrow(/already pinned/);
  });

  test("the trusted registries allowlist can be set once on the app through context", () => {
    const app = new App({ context: { [TRUSTED_REGISTRIES_CONTEXT]: ["registry.internal"] } });
    const error = validationErrorOf(() => synthHardened(baseProps(), app));
    expect(error.problems[0].message).toMatch(
      /not in the trusted registries \(registry.internal\)/,
    );
    const trusted = new App({
      context: { [TRUSTED_REGISTRIES_CONTEXT]: "registry.internal, registry.example.com/payments" },
    });
    expect(() => synthHardened(baseProps(), trusted)).not.toThrow();
  });

  test("a tag resolved by the helper is checked against the allowlist by its repository", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const image = ContainerImage.fromRegistryTag(stack, "img", "docker.io/library/nginx:1.27");
    expect(
      () =>
        new HardenedContainer(
          stack,
          "api",
          baseProps({ image, trustedRegistries: ["registry.internal"] }),
        ),
    ).toThrow(/docker.io\/library\/nginx is not in the trusted registries/);
  });
});
