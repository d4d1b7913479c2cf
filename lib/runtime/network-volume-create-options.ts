import type Docker from "dockerode";
import type { NetworkAttributes, VolumeAttributes } from "./resource-schemas";

/**
 * Engine API bodies for `docker_network` and `docker_volume`, as the provider builds them.
 * Pure. `extraLabels` (the `up` stack label and caller labels) are merged over the resource's.
 */

function labelMap(
  labels: readonly { label: string; value: string }[] | undefined,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { label, value } of labels ?? []) map[label] = value;
  return Object.assign(map, extra);
}

export function toNetworkCreateOptions(
  attrs: NetworkAttributes,
  extraLabels: Readonly<Record<string, string>> = {},
): Docker.NetworkCreateOptions {
  const options: Docker.NetworkCreateOptions = {
    Name: attrs.name,
    Labels: labelMap(attrs.labels, extraLabels),
  };
  if (attrs.driver) options.Driver = attrs.driver;
  if (attrs.options) options.Options = { ...attrs.options };
  if (attrs.internal !== undefined) options.Internal = attrs.internal;
  if (attrs.attachable !== undefined) options.Attachable = attrs.attachable;
  if (attrs.ingress !== undefined) options.Ingress = attrs.ingress;
  if (attrs.ipv6 !== undefined) options.EnableIPv6 = attrs.ipv6;
  if (attrs.check_duplicate !== undefined) options.CheckDuplicate = attrs.check_duplicate;
  if (attrs.ipam_driver || attrs.ipam_options || attrs.ipam_config) {
    const ipam: Docker.IPAM = { Driver: attrs.ipam_driver || "default" };
    if (attrs.ipam_options) ipam.Options = { ...attrs.ipam_options };
    if (attrs.ipam_config) {
      ipam.Config = attrs.ipam_config.map((c) => {
        const config: NonNullable<Docker.IPAM["Config"]>[number] = {};
        if (c.subnet) config.Subnet = c.subnet;
        if (c.gateway) config.Gateway = c.gateway;
        if (c.ip_range) config.IPRange = c.ip_range;
        if (c.aux_address) config.AuxiliaryAddresses = { ...c.aux_address };
        return config;
      });
    }
    options.IPAM = ipam;
  }
  return options;
}

export function toVolumeCreateOptions(
  attrs: VolumeAttributes,
  extraLabels: Readonly<Record<string, string>> = {},
): Docker.VolumeCreateOptions {
  const options: Docker.VolumeCreateOptions = { Labels: labelMap(attrs.labels, extraLabels) };
  if (attrs.name) options.Name = attrs.name;
  if (attrs.driver) options.Driver = attrs.driver;
  if (attrs.driver_opts) options.DriverOpts = { ...attrs.driver_opts };
  return options;
}
