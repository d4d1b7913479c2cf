import { modelFromInspect } from "../../../lib/host/inspect";
import { Unknown } from "../../../lib/policy/unknown";
import { DIGEST } from "../rules/support/policy-harness";
import { inspectOf } from "../rules/support/inspect-fixtures";

describe("modelFromInspect", () => {
  it("names the container resource by its name without the leading slash", () => {
    const model = modelFromInspect(inspectOf());
    expect(model.source).toBe("inspect");
    expect(model.resource).toBe("container:/api");
    expect(model.name).toBe("api");
    expect(model.constructPath).toBeUndefined();
    expect(model.appArmorProfile).toBe("");
  });

  it("reads limits in Engine units", () => {
    const model = modelFromInspect(inspectOf());
    expect([
      model.memoryBytes,
      model.memorySwapBytes,
      model.cpuShares,
      model.cpuQuota,
      model.cpuPeriod,
      model.pidsLimit,
    ]).toEqual([268_435_456, 268_435_456, 512, 50_000, 100_000, 128]);
  });

  it("reads port bindings: an empty HostIp is 0.0.0.0, an empty HostPort is ephemeral (0)", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: { PortBindings: { "53/udp": [{ HostIp: "", HostPort: "" }], "80/tcp": null } },
      }),
    );
    expect(model.ports).toEqual([
      { containerPort: 53, hostPort: 0, hostIp: "0.0.0.0", protocol: "udp" },
    ]);
  });

  it("reads volumes by name, binds by host path, and tmpfs from HostConfig", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: {
          Tmpfs: { "/tmp": "rw,noexec" },
          Mounts: [{ Type: "tmpfs", Target: "/t", ReadOnly: true, TmpfsOptions: { Mode: 448 } }],
        },
        Mounts: [
          {
            Type: "volume",
            Name: "data",
            Source: "/var/lib/docker/volumes/data/_data",
            Destination: "/data",
            RW: true,
            Propagation: "",
          },
          { Type: "bind", Source: "/srv", Destination: "/srv", RW: false, Propagation: "rprivate" },
          { Type: "tmpfs", Source: "", Destination: "/t", RW: false, Propagation: "" },
        ],
      }),
    );
    expect(model.mounts).toEqual([
      { type: "volume", source: "data", target: "/data", readOnly: false, propagation: "" },
      { type: "bind", source: "/srv", target: "/srv", readOnly: true, propagation: "rprivate" },
      {
        type: "tmpfs",
        source: "",
        target: "/t",
        readOnly: true,
        propagation: "",
        tmpfsOptions: ["mode=700"],
      },
      {
        type: "tmpfs",
        source: "",
        target: "/tmp",
        readOnly: false,
        propagation: "",
        tmpfsOptions: ["rw", "noexec"],
      },
    ]);
  });

  it("takes null lists as empty and an empty restart policy name as no", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: {
          CapDrop: null,
          SecurityOpt: null,
          Ulimits: null,
          RestartPolicy: { Name: "", MaximumRetryCount: 0 },
        },
      }),
    );
    expect([model.capDrop, model.securityOpt, model.ulimits]).toEqual([[], [], []]);
    expect(model.restartPolicy).toEqual({ name: "no", maximumRetryCount: 0 });
  });

  it("keeps the health check command in order and reads none when absent", () => {
    expect(modelFromInspect(inspectOf()).healthcheck).toEqual({
      test: ["CMD", "/bin/healthcheck"],
    });
    expect(
      modelFromInspect(inspectOf({ Config: { Healthcheck: undefined } })).healthcheck,
    ).toBeUndefined();
  });

  it("counts an image ID as pinned, with no repository", () => {
    expect(modelFromInspect(inspectOf({ Config: { Image: DIGEST } })).image).toEqual({
      reference: DIGEST,
      pinnedByDigest: true,
      repository: "",
    });
  });

  it("carries the process list when given", () => {
    expect(modelFromInspect(inspectOf(), { processes: ["/app"] }).processes).toEqual(["/app"]);
    expect("processes" in modelFromInspect(inspectOf())).toBe(false);
  });

  it("makes wrong types Unknown with the field's path", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: { Privileged: "yes", Memory: "256m", CapAdd: "ALL" },
        NetworkSettings: [],
      }),
    );
    expect(model.privileged).toEqual(
      new Unknown('HostConfig.Privileged should be true or false but is "yes"'),
    );
    expect(model.memoryBytes).toEqual(
      new Unknown('HostConfig.Memory should be a number but is "256m"'),
    );
    expect(model.capAdd).toEqual(
      new Unknown('HostConfig.CapAdd should be a list of strings but is "ALL"'),
    );
    expect(model.networks).toEqual(
      new Unknown("NetworkSettings should be an object but is a list of 0"),
    );
    expect(model.user).toBe("65534:65534");
  });

  it("says a required field is missing rather than naming its JavaScript type", () => {
    const model = modelFromInspect({ Id: "abc", Config: {}, HostConfig: {}, State: {} });
    expect(model.name).toEqual(new Unknown("Name should be a string but is missing"));
  });

  it("makes every field Unknown for input that is not an object", () => {
    const model = modelFromInspect("[]");
    expect(model.resource).toBe("container:(unreadable)");
    expect(model.privileged).toEqual(
      new Unknown('the inspect JSON should be an object but is "[]"'),
    );
  });

  it("makes PublishAllPorts Unknown: the image decides which ports", () => {
    expect(
      modelFromInspect(inspectOf({ HostConfig: { PublishAllPorts: true } })).ports,
    ).toBeInstanceOf(Unknown);
  });
});
