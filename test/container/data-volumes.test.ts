import { TerraformStack, Testing } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { HardenedContainer, HardenedContainerProps, checkStack, isUnknown } from "../../lib";
import { modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import { Json, baseProps, testClock, validationErrorOf } from "../support/hardened-synth";

/** HardenedContainer `volumes`: named local volumes for data that outlives the container. */

function stackWith(build: (stack: TerraformStack) => Partial<HardenedContainerProps>) {
  const stack = new TerraformStack(Testing.app(), "stack");
  new DockerProvider(stack, "docker", {});
  const construct = new HardenedContainer(stack, "db", baseProps(build(stack)));
  return { stack, construct };
}

function synth(stack: TerraformStack): { resources: Record<string, Record<string, Json>> } {
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return { resources: json.resource as Record<string, Record<string, Json>> };
}

function only(resources: Record<string, Record<string, Json>>, type: string): [string, Json] {
  const entries = Object.entries(resources[type] ?? {});
  expect(entries).toHaveLength(1);
  return entries[0];
}

function problemsOf(build: (stack: TerraformStack) => Partial<HardenedContainerProps>) {
  return validationErrorOf(() => stackWith(build)).problems;
}

describe("a data volume the construct creates", () => {
  const { stack, construct } = stackWith(() => ({
    volumes: [{ path: "/var/lib/postgresql/data" }],
  }));
  const { resources } = synth(stack);
  const [volumeId, volume] = only(resources, "docker_volume");
  const [, container] = only(resources, "docker_container");

  test("is a local docker_volume with no driver options, named after the container and path", () => {
    expect(volume.name).toBe("stack-db-var-lib-postgresql-data");
    expect(volume.driver).toBe("local");
    expect(volume.driver_opts).toBeUndefined();
    expect(construct.volumes.map((v) => v.nameInput)).toEqual(["stack-db-var-lib-postgresql-data"]);
  });

  test("is mounted writable by reference, while the root filesystem stays read-only", () => {
    expect(container.mounts).toEqual([
      {
        type: "volume",
        source: `\${docker_volume.${volumeId}.name}`,
        target: "/var/lib/postgresql/data",
        read_only: false,
      },
    ]);
    expect(container.read_only).toBe(true);
  });

  test("carries who owns it and why, and a label change never replaces it (its data)", () => {
    const labels = Object.fromEntries(
      (volume.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]),
    );
    expect(labels).toMatchObject({
      "io.hardened-docker.owner": "payments-team",
      "io.hardened-docker.purpose": "public REST API",
      "io.hardened-docker.deployed-by": "ci-bot",
    });
    expect(labels["io.hardened-docker.expires"]).toBeUndefined();
    expect(volume.lifecycle).toEqual({ ignore_changes: ["labels"] });
    expect(JSON.stringify(volume.lifecycle)).not.toMatch(/replace_triggered_by/);
  });

  test("passes the rule pack with no failure, unknown or warning", () => {
    const findings = checkStack(stack, { clock: testClock });
    expect(findings.filter((f) => f.status !== "pass" && f.status !== "not-applicable")).toEqual(
      [],
    );
  });

  test("the policy model reads the mount as the named volume, binding no host path", () => {
    const json = JSON.parse(Testing.synth(stack)) as Json;
    const { models, problems } = modelsFromTerraformJson(json);
    expect(problems).toEqual([]);
    const mounts = models[0].mounts;
    if (isUnknown(mounts)) throw new Error(`mounts unknown: ${String(mounts)}`);
    const volumes = mounts.filter((m) => m.type === "volume");
    expect(volumes).toEqual([
      {
        type: "volume",
        source: "stack-db-var-lib-postgresql-data",
        target: "/var/lib/postgresql/data",
        readOnly: false,
        propagation: "",
      },
    ]);
  });
});

describe("data volume options", () => {
  test("a given name is used, and readOnly: true mounts it read-only", () => {
    const { stack } = stackWith(() => ({
      volumes: [{ path: "/data", name: "pgdata", readOnly: true }],
    }));
    const { resources } = synth(stack);
    expect(only(resources, "docker_volume")[1].name).toBe("pgdata");
    expect(only(resources, "docker_container")[1].mounts).toEqual([
      expect.objectContaining({ target: "/data", read_only: true }),
    ]);
  });

  test("a provider Volume of the stack is mounted by reference, and no other volume is created", () => {
    let given: Volume | undefined;
    const { stack, construct } = stackWith((s) => {
      given = new Volume(s, "pgdata", { name: "pgdata" });
      return { volumes: [{ path: "/var/lib/postgresql/data", volume: given }] };
    });
    const { resources } = synth(stack);
    const [volumeId, volume] = only(resources, "docker_volume");
    expect(volume.name).toBe("pgdata");
    expect(construct.volumes).toEqual([given]);
    expect(only(resources, "docker_container")[1].mounts).toEqual([
      expect.objectContaining({ source: `\${docker_volume.${volumeId}.name}`, read_only: false }),
    ]);
    expect(construct.spec.volumes).toEqual([
      { name: "pgdata", target: "/var/lib/postgresql/data", readOnly: false, create: false },
    ]);
  });

  test.each([
    [
      "driver options that bind a host path",
      { name: "v", driverOpts: { type: "none", o: "bind", device: "/" } },
      /driver options.*host path/,
    ],
    [
      "driver options that mount a host device",
      { name: "v", driverOpts: { type: "ext4", device: "/dev/sda1" } },
      /driver options/,
    ],
    ["a plugin driver", { name: "v", driver: "rexray/ebs" }, /driver must be "local"/],
    ["no name", {}, /name must be a literal/],
  ])("a provider Volume with %s is refused", (_label, config, message) => {
    const [problem] = problemsOf((s) => ({
      volumes: [{ path: "/data", volume: new Volume(s, "v", config) }],
    }));
    expect(problem).toMatchObject({ constructPath: "stack/db", field: "volumes.0.volume" });
    expect(problem.message).toMatch(message);
  });

  test("a provider Volume whose name is a token is refused", () => {
    const [problem] = problemsOf((s) => {
      const other = new Volume(s, "other", { name: "other" });
      return { volumes: [{ path: "/data", volume: new Volume(s, "v", { name: other.name }) }] };
    });
    expect(problem).toMatchObject({ field: "volumes.0.volume" });
    expect(problem.message).toMatch(/name must be a literal/);
  });

  test("a provider Volume of another stack is refused", () => {
    const app = Testing.app();
    const other = new TerraformStack(app, "other");
    const volume = new Volume(other, "v", { name: "shared" });
    const stack = new TerraformStack(app, "stack");
    const [problem] = validationErrorOf(
      () => new HardenedContainer(stack, "db", baseProps({ volumes: [{ path: "/data", volume }] })),
    ).problems;
    expect(problem).toMatchObject({ field: "volumes.0.volume", value: "other/v" });
    expect(problem.message).toMatch(/another stack/);
  });

  test("a Volume given driver options after the container was built fails at synth", () => {
    const { stack, construct } = stackWith((s) => ({
      volumes: [{ path: "/data", volume: new Volume(s, "v", { name: "v" }) }],
    }));
    construct.volumes[0].driverOpts = { type: "none", o: "bind", device: "/etc" };
    expect(() => Testing.synth(stack, true)).toThrow(/volumes\.0 .*driver options/);
  });

  test("renaming a volume after the container was built fails at synth", () => {
    const { stack, construct } = stackWith(() => ({ volumes: [{ path: "/data" }] }));
    construct.volumes[0].name = "elsewhere";
    expect(() => Testing.synth(stack, true)).toThrow(/name changed .*"elsewhere"/);
  });

  test.each([
    ["over /", { volumes: [{ path: "/" }] }, "volumes.0.path", /root filesystem/],
    ["over /tmp", { volumes: [{ path: "/tmp" }] }, "volumes.0.path", /already a tmpfs/],
    [
      "over a mount's target",
      { mounts: [{ source: "/srv/conf", target: "/data" }], volumes: [{ path: "/data/" }] },
      "volumes.0.path",
      /mounted twice/,
    ],
    [
      "the same volume twice",
      {
        volumes: [
          { path: "/a", name: "v" },
          { path: "/b", name: "v" },
        ],
      },
      "volumes.1",
      /mounted twice/,
    ],
    [
      "a bad name",
      { volumes: [{ path: "/a", name: "../x" }] },
      "volumes.0.name",
      /letter or digit/,
    ],
    ["a relative path", { volumes: [{ path: "data" }] }, "volumes.0.path", /absolute path/],
  ])("a volume %s is refused", (_label, props, field, message) => {
    const [problem] = problemsOf(() => props as Partial<HardenedContainerProps>);
    expect(problem).toMatchObject({ field });
    expect(problem.message).toMatch(message);
  });

  test("a name together with a Volume is refused: one name is mounted", () => {
    const [problem] = problemsOf((s) => ({
      volumes: [{ path: "/a", name: "x", volume: new Volume(s, "v", { name: "v" }) }],
    }));
    expect(problem).toMatchObject({ field: "volumes.0.name", value: "x" });
  });

  test("a token in a volume's name or path is refused before anything else", () => {
    const problems = problemsOf((s) => {
      const v = new Volume(s, "v", { name: "v" });
      return { volumes: [{ path: "/a", name: v.name }] };
    });
    expect(problems[0]).toMatchObject({ field: "volumes.0.name" });
    expect(problems[0].message).toMatch(/Terraform token/);
  });

  test("a provider Volume's name as a mount source is refused, pointing at volumes", () => {
    const [problem] = problemsOf((s) => {
      const v = new Volume(s, "v", { name: "v" });
      return { mounts: [{ source: v.name, target: "/a", type: "volume" }] };
    });
    expect(problem).toMatchObject({ field: "mounts.0.source" });
    expect(problem.message).toMatch(/volumes: \[\{ path, volume \}\]/);
  });
});
