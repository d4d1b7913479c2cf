import { Fn, TerraformVariable, Token } from "cdktf";
import { HardenedService, SeccompProfile, ContainerImage, Relax } from "../../lib";
import {
  baseProps,
  synthHardened,
  validationErrorOf,
  PINNED_IMAGE,
} from "../support/hardened-synth";
import { dockerStack, serviceProps } from "../support/swarm-synth";

const TOKEN_MESSAGE = /is a Terraform token, whose value is known only at plan or apply time/;

describe("Terraform tokens in security-relevant props are refused at synth", () => {
  const token = Token.asString({ Ref: "var.x" });

  test.each([
    ["image", { image: Fn.lower(PINNED_IMAGE) }, "image"],
    ["a ContainerImage.pinned token", { image: ContainerImage.pinned(token) }, "image"],
    ["user", { user: token }, "user"],
    ["a bind source", { mounts: [{ source: token, target: "/data" }] }, "mounts.0.source"],
    ["a mount target", { mounts: [{ source: "/srv/data", target: token }] }, "mounts.0.target"],
    ["a network name", { networks: [token] }, "networks.0"],
    [
      "a published host address",
      { ports: [{ internal: 8080, external: 8080, hostIp: token }] },
      "ports.0.hostIp",
    ],
    [
      "a published host port",
      { ports: [{ internal: 8080, external: Token.asNumber({ Ref: "var.port" }) }] },
      "ports.0.external",
    ],
    [
      "the runAsRoot user",
      {
        relaxations: [Relax.runAsRoot("the vendor agent only runs as root, sadly", token)],
      },
      "relaxations.0.user",
    ],
    [
      "a seccomp profile holding a token",
      {
        seccomp: SeccompProfile.fromObject({
          defaultAction: "SCMP_ACT_ERRNO",
          syscalls: [{ names: ["read"], action: "SCMP_ACT_ALLOW", comment: token }],
        }),
      },
      "seccomp",
    ],
  ])("in HardenedContainer: %s", (_label, overrides, field) => {
    const problems = validationErrorOf(() =>
      synthHardened(baseProps(overrides as Parameters<typeof baseProps>[0])),
    ).problems;
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(problems[0]?.constructPath).toBe("stack/api");
    expect(problems[0]?.message).toMatch(TOKEN_MESSAGE);
  });

  test("a variable's value as a HardenedContainer user is refused", () => {
    const problems = validationErrorOf(() =>
      synthHardened(baseProps({ user: "${var.user}" })),
    ).problems;
    expect(problems[0]).toMatchObject({ field: "user" });
  });

  test("in HardenedService: image, user and network names", () => {
    const stack = dockerStack();
    const user = new TerraformVariable(stack, "user", { type: "string" });
    const network = new TerraformVariable(stack, "net", { type: "string" });
    const problems = validationErrorOf(
      () =>
        new HardenedService(
          stack,
          "api",
          serviceProps(stack, {
            image: Fn.lower(PINNED_IMAGE),
            user: user.stringValue,
            networks: [network.stringValue],
          }),
        ),
    ).problems;
    expect(problems.map((p) => p.field)).toEqual(["image", "user", "networks.0"]);
    for (const p of problems) expect(p.message).toMatch(TOKEN_MESSAGE);
  });
});
