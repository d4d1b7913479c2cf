import { modelsFromTerraformJson } from "../../../lib/synth/terraform-json";
import { ContainerModel } from "../../../lib/policy/model";
import { Unknown } from "../../../lib/policy/unknown";
import {
  containerBody,
  DIGEST,
  fixture,
  fixtureModel,
  Json,
  modelOf,
  rawModel,
} from "../rules/support/policy-harness";

const MB = 1024 * 1024;

function bare(extra: Json = {}): ContainerModel {
  return modelOf({
    resource: { docker_container: { c: { name: "c", image: "nginx:1.27", ...extra } } },
  });
}

describe("modelsFromTerraformJson", () => {
  describe("the compliant fixture", () => {
    const model = fixtureModel();

    it("names the resource and the construct path", () => {
      expect(model.source).toBe("terraform");
      expect(model.resource).toBe("docker_container.api_container_1A2B3C4D");
      expect(model.constructPath).toBe("fixture/api/container");
      expect(model.name).toBe("api");
    });

    it("converts memory from MB to bytes and cpus to a quota over a 100000 period", () => {
      expect(model.memoryBytes).toBe(256 * MB);
      expect(model.memorySwapBytes).toBe(256 * MB);
      expect([model.cpuQuota, model.cpuPeriod, model.nanoCpus, model.cpuShares]).toEqual([
        50_000, 100_000, 0, 512,
      ]);
    });

    it("finds the PIDs limit in the terraform_data step", () => expect(model.pidsLimit).toBe(128));

    it("turns the tmpfs map into a mount with its options split", () => {
      expect(model.mounts).toEqual([
        {
          type: "tmpfs",
          source: "",
          target: "/tmp",
          readOnly: false,
          propagation: "",
          tmpfsOptions: ["rw", "noexec", "nosuid", "nodev", "size=64m"],
        },
      ]);
    });

    it("resolves a docker_network reference to the network's name", () => {
      expect(model.networkMode).toBe("bridge");
      expect(model.networks).toEqual(["app-net"]);
    });

    it("sorts set-like lists and maps labels", () => {
      expect(model.ulimits).toEqual([
        { name: "nofile", soft: 1024, hard: 1024 },
        { name: "nproc", soft: 128, hard: 128 },
      ]);
      expect(model.labels).toMatchObject({ "io.hardened-docker.owner": "payments-team" });
      expect(model.healthcheck).toEqual({ test: ["CMD", "/bin/healthcheck"] });
      expect(model.restartPolicy).toEqual({ name: "on-failure", maximumRetryCount: 5 });
    });
  });

  describe("provider and engine defaults for an attribute left out", () => {
    const model = bare();
    it.each<[keyof ContainerModel, unknown]>([
      ["user", ""],
      ["privileged", false],
      ["capAdd", []],
      ["capDrop", []],
      ["securityOpt", []],
      ["readOnlyRootfs", false],
      ["mounts", []],
      ["ports", []],
      ["networkMode", "bridge"],
      ["networks", ["bridge"]],
      ["pidMode", ""],
      ["ipcMode", "private"],
      ["utsMode", ""],
      ["usernsMode", ""],
      ["cgroupParent", ""],
      ["devices", []],
      ["memoryBytes", 0],
      ["memorySwapBytes", 0],
      ["cpuShares", 0],
      ["cpuQuota", 0],
      ["cpuPeriod", 0],
      ["pidsLimit", undefined],
      ["ulimits", []],
      ["restartPolicy", { name: "no", maximumRetryCount: 0 }],
      ["healthcheck", undefined],
      ["logConfig", { type: "json-file", options: {} }],
      ["labels", {}],
      ["init", false],
    ])("%s defaults to %p", (field, expected) => expect(model[field]).toEqual(expected));
  });

  describe("ports", () => {
    it("default to 0.0.0.0 and tcp, and host port 0 when external is left out", () => {
      expect(bare({ ports: [{ internal: 80 }] }).ports).toEqual([
        { containerPort: 80, hostPort: 0, hostIp: "0.0.0.0", protocol: "tcp" },
      ]);
    });
    it("accept numbers given as strings", () => {
      expect(
        bare({ ports: [{ internal: "80", external: "8080", ip: "127.0.0.1", protocol: "udp" }] })
          .ports,
      ).toEqual([{ containerPort: 80, hostPort: 8080, hostIp: "127.0.0.1", protocol: "udp" }]);
    });
  });

  describe("mounts, volumes and tmpfs", () => {
    it("maps mounts blocks with their provider defaults", () => {
      const model = bare({
        mounts: [
          { type: "bind", source: "/srv/a", target: "/a" },
          { type: "volume", source: "cache", target: "/cache", read_only: true },
          { type: "tmpfs", target: "/t", tmpfs_options: { size_bytes: 1048576, mode: 448 } },
        ],
      });
      expect(model.mounts).toEqual([
        { type: "bind", source: "/srv/a", target: "/a", readOnly: false, propagation: "rprivate" },
        { type: "volume", source: "cache", target: "/cache", readOnly: true, propagation: "" },
        {
          type: "tmpfs",
          source: "",
          target: "/t",
          readOnly: false,
          propagation: "",
          tmpfsOptions: ["size=1048576", "mode=700"],
        },
      ]);
    });

    it("maps volumes blocks: an absolute source is a bind, a name a volume", () => {
      const model = bare({
        volumes: [
          { host_path: "/srv/b", container_path: "/b", read_only: true },
          { volume_name: "data", container_path: "/data" },
        ],
      });
      expect(model.mounts).toEqual([
        { type: "bind", source: "/srv/b", target: "/b", readOnly: true, propagation: "rprivate" },
        { type: "volume", source: "data", target: "/data", readOnly: false, propagation: "" },
      ]);
    });

    it("marks a tmpfs read-only when ro is its last rw/ro option", () => {
      const model = bare({ tmpfs: { "/a": "rw,ro", "/b": "ro,rw" } });
      expect(model.mounts).toMatchObject([
        { target: "/a", readOnly: true },
        { target: "/b", readOnly: false },
      ]);
    });

    it("cannot know the mounts of volumes_from", () => {
      expect(bare({ volumes: [{ from_container: "other" }] }).mounts).toEqual(
        new Unknown(
          "volumes[0].from_container mounts the volumes of another container, which its own configuration decides",
        ),
      );
    });
  });

  describe("values only known at apply time", () => {
    it("makes a token an Unknown naming the attribute and the expression", () => {
      const model = bare({ user: "${var.user}", network_mode: "${local.mode}" });
      expect(model.user).toEqual(new Unknown("user is only known at apply time: ${var.user}"));
      expect(model.networkMode).toEqual(
        new Unknown("network_mode is only known at apply time: ${local.mode}"),
      );
      expect(model.networks).toEqual(model.networkMode);
    });

    it("takes an escaped $${ as literal text", () => {
      expect(bare({ user: "$${literal}" }).user).toBe("${literal}");
    });

    it("treats a dynamic block as unknown", () => {
      expect(bare({ dynamic: { ports: { for_each: "${var.ports}" } } }).ports).toEqual(
        new Unknown("ports is generated by a dynamic block: only known at plan time"),
      );
    });

    it("sees a raw Container's tokens the same way", () => {
      const model = rawModel({ customize: (c) => c.addOverride("memory", "${var.memory}") });
      expect(model.memoryBytes).toEqual(
        new Unknown("memory is only known at apply time: ${var.memory}"),
      );
    });
  });

  describe("images", () => {
    const stack = fixture("tag-resolved.tf.json");
    it("follows docker_image to a digest resolved from data.docker_registry_image", () => {
      expect(modelOf(stack, "resolved").image).toEqual({
        reference:
          "127.0.0.1:5000/hd/web@${data.docker_registry_image.web_digest_0A1B2C3D.sha256_digest}",
        pinnedByDigest: true,
        repository: "127.0.0.1:5000/hd/web",
      });
    });
    it("does not pin a docker_image naming a tag", () => {
      expect(modelOf(stack, "tagged").image).toEqual({
        reference: "127.0.0.1:5000/hd/web:1.0",
        pinnedByDigest: false,
        repository: "127.0.0.1:5000/hd/web",
      });
    });
    it("does not trust a digest reference to a data source that is not in the stack", () => {
      const copy = fixture("tag-resolved.tf.json");
      delete (copy.data as Json).docker_registry_image;
      expect(modelOf(copy, "resolved").image).toEqual(
        new Unknown(
          "docker_image.web_image_4E5F6A7B.name uses the digest of data.docker_registry_image.web_digest_0A1B2C3D, which is not in this stack",
        ),
      );
    });
    it("pins a literal digest, and an image ID", () => {
      expect(bare({ image: `nginx@${DIGEST}` }).image).toEqual({
        reference: `nginx@${DIGEST}`,
        pinnedByDigest: true,
        repository: "nginx",
      });
      expect(bare({ image: DIGEST }).image).toEqual({
        reference: DIGEST,
        pinnedByDigest: true,
        repository: "",
      });
    });
  });

  describe("odd shapes (hand-written odd-shapes fixture)", () => {
    const { models, problems } = modelsFromTerraformJson(fixture("odd-shapes.tf.json"));
    const odd = models.find((m) => m.resource === "docker_container.odd") as ContainerModel;

    it("reports counted resources as problems", () => {
      expect(problems).toEqual([
        "docker_container.counted uses count: it may be several containers; checked once, as written",
      ]);
      expect(models.map((m) => m.resource)).toEqual([
        "docker_container.odd",
        "docker_container.counted",
      ]);
    });

    it.each<[keyof ContainerModel, string]>([
      ["image", "image should be a string but is the number 42"],
      ["user", "user is only known at apply time: ${var.user}"],
      ["privileged", 'privileged should be true or false but is "yes"'],
      ["capAdd", 'capabilities.add should be a list of strings but is "NET_ADMIN"'],
      ["securityOpt", "security_opts should be a list of strings but is an object"],
      ["memorySwapBytes", 'memory_swap should be a number but is "a lot"'],
      ["cpuQuota", 'cpus should be a decimal number like "0.5" but is "half"'],
      ["cpuShares", "cpu_shares should be a number but is a list of 1"],
      ["ports", 'ports[0] should be a block (object) but is "8080:80"'],
      ["labels", "labels[0].label is not set"],
      ["healthcheck", 'healthcheck.test should be a list of strings but is "CMD true"'],
      ["logConfig", "log_opts should be a map of strings but is a list of 1"],
      ["networks", "network_mode is only known at apply time: ${local.mode}"],
      ["mounts", "mounts is generated by a dynamic block: only known at plan time"],
    ])("%s is Unknown: %s", (field, explanation) => {
      expect(odd[field]).toEqual(new Unknown(explanation));
    });

    it("still reads what it can: numeric strings, boolean strings, a null restart", () => {
      expect(odd.memoryBytes).toBe(256 * MB);
      expect(odd.readOnlyRootfs).toBe(true);
      expect(odd.ulimits).toEqual([{ name: "nofile", soft: 1024, hard: 1024 }]);
      expect(odd.restartPolicy).toEqual({ name: "no", maximumRetryCount: 0 });
    });
  });

  describe("input that is not a stack", () => {
    it.each([[null], [42], ["cdk.tf.json"], [[1, 2]]])("reports %p as not read", (input) => {
      const result = modelsFromTerraformJson(input);
      expect(result.models).toEqual([]);
      expect(result.unread).toHaveLength(1);
      expect(result.unread[0]).toMatch(
        /^not a Terraform JSON configuration: expected an object, got /,
      );
    });

    it("reports JSON that is not Terraform as not read", () => {
      expect(modelsFromTerraformJson({ name: "some-package", version: "1.0.0" }).unread[0]).toMatch(
        /not a Terraform JSON configuration: unexpected top-level keys "name", "version"/,
      );
    });

    it("returns no models and no problems for a stack without containers", () => {
      expect(
        modelsFromTerraformJson({ resource: { docker_network: { n: { name: "n" } } } }),
      ).toEqual({ models: [], problems: [], unread: [] });
      expect(modelsFromTerraformJson({ terraform: {} })).toEqual({
        models: [],
        problems: [],
        unread: [],
      });
    });

    it("reports resource blocks of a shape Terraform refuses as not read", () => {
      expect(modelsFromTerraformJson({ resource: { docker_container: "x" } }).unread).toEqual([
        'docker_container should be an object (or an array of objects) but is "x"',
      ]);
      expect(
        modelsFromTerraformJson({ resource: { docker_container: { web: "docker run nginx" } } })
          .unread,
      ).toEqual([
        'docker_container.web should be an object (or an array of objects) but is "docker run nginx"',
      ]);
    });
  });

  it("reads every container of a stack", () => {
    const stack = fixture("compliant.tf.json");
    const containers = (stack.resource as Json).docker_container as Json;
    containers.second = { ...containerBody(stack), name: "second" };
    expect(modelsFromTerraformJson(stack).models.map((m) => m.name)).toEqual(["api", "second"]);
  });
});
