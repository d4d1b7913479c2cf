import { parseAttributes } from "../../lib/runtime/block-schemas";
import { StackInputError } from "../../lib/runtime/errors";
import {
  toNetworkCreateOptions,
  toVolumeCreateOptions,
} from "../../lib/runtime/network-volume-create-options";
import {
  networkAttributesSchema,
  volumeAttributesSchema,
} from "../../lib/runtime/resource-schemas";
import { resolveUpOptions } from "../../lib/runtime/up-options";

const UP = { "io.hardened-docker.up.stack": "shop" };

describe("toNetworkCreateOptions", () => {
  it("maps name, driver, internal, options and labels (up labels merged)", () => {
    const attrs = parseAttributes("docker_network.n", networkAttributesSchema, {
      name: "backend",
      driver: "bridge",
      internal: true,
      options: { "com.docker.network.bridge.enable_icc": "false" },
      labels: [{ label: "io.hardened-docker.owner", value: "payments-team" }],
    });
    expect(toNetworkCreateOptions(attrs, UP)).toEqual({
      Name: "backend",
      Driver: "bridge",
      Internal: true,
      Options: { "com.docker.network.bridge.enable_icc": "false" },
      Labels: {
        "io.hardened-docker.owner": "payments-team",
        "io.hardened-docker.up.stack": "shop",
      },
    });
  });

  it("maps ipam_config blocks and defaults the IPAM driver", () => {
    const attrs = parseAttributes("docker_network.n", networkAttributesSchema, {
      name: "n",
      ipam_config: [
        { subnet: "172.30.0.0/24", gateway: "172.30.0.1", ip_range: "172.30.0.128/25" },
      ],
    });
    expect(toNetworkCreateOptions(attrs).IPAM).toEqual({
      Driver: "default",
      Config: [{ Subnet: "172.30.0.0/24", Gateway: "172.30.0.1", IPRange: "172.30.0.128/25" }],
    });
  });

  it("leaves the driver to the Engine and sends no IPAM when none is given", () => {
    const options = toNetworkCreateOptions(
      parseAttributes("docker_network.n", networkAttributesSchema, { name: "n" }),
    );
    expect(options).toEqual({ Name: "n", Labels: {} });
  });

  it("refuses an unknown network attribute by name", () => {
    expect(() =>
      parseAttributes("docker_network.n", networkAttributesSchema, { name: "n", scope: "swarm" }),
    ).toThrow(/docker_network\.n: unsupported attribute\(s\) scope/);
  });
});

describe("toVolumeCreateOptions", () => {
  it("maps name, driver, driver_opts and labels", () => {
    const attrs = parseAttributes("docker_volume.v", volumeAttributesSchema, {
      name: "data",
      driver: "local",
      driver_opts: { type: "tmpfs", device: "tmpfs" },
      labels: [{ label: "k", value: "v" }],
    });
    expect(toVolumeCreateOptions(attrs, UP)).toEqual({
      Name: "data",
      Driver: "local",
      DriverOpts: { type: "tmpfs", device: "tmpfs" },
      Labels: { k: "v", "io.hardened-docker.up.stack": "shop" },
    });
  });

  it("lets the Engine name a volume without name", () => {
    expect(
      toVolumeCreateOptions(parseAttributes("docker_volume.v", volumeAttributesSchema, {})),
    ).toEqual({
      Labels: {},
    });
  });
});

describe("resolveUpOptions", () => {
  it("refuses extra labels that would overwrite up's own", () => {
    expect(() => resolveUpOptions({ labels: { "io.hardened-docker.up.stack": "x" } })).toThrow(
      StackInputError,
    );
  });

  it("refuses label values with commas (they are used as list filters)", () => {
    expect(() => resolveUpOptions({ labels: { team: "a,b" } })).toThrow(
      /option labels\.team.*commas.*"a,b"/,
    );
  });

  it("refuses an unknown registry scheme", () => {
    expect(() => resolveUpOptions({ registryScheme: "ftp" as unknown as "http" })).toThrow(
      /registryScheme/,
    );
  });
});
