import { Construct } from "constructs";
import { Token } from "cdktf";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { AuditLabel } from "../policy/facts/labels";
import { DEFAULTS } from "../policy/facts/defaults";
import { trimEndChar } from "../policy/facts/linear-text";
import type { ResolvedContainerSpec } from "./resolved-spec";

/**
 * The named volumes of HardenedContainer's `volumes` prop: what a provider `Volume` must be to be
 * mounted (checked when the container is built and again at synth, since a Volume is mutable),
 * and the `docker_volume` resources the construct creates.
 */

/** A reason a Volume cannot back a data volume, for the `volumes.<i>.volume` field. */
export interface VolumeObjectProblem {
  readonly value: unknown;
  readonly message: string;
}

/**
 * Why `volume` cannot be mounted as a data volume: a name that is not a literal (the policy
 * checks and the construct must know which volume it is), a driver other than `local`, or any
 * driver option (`local` options can bind a host path, mount a host device or overlay host
 * directories; the construct does not judge which ones are safe, so it takes none).
 */
export function volumeObjectProblems(volume: Volume): VolumeObjectProblem[] {
  const problems: VolumeObjectProblem[] = [];
  const name = volume.nameInput;
  if (name === undefined || Token.isUnresolved(name)) {
    problems.push({
      value: name ?? "(no name)",
      message:
        "the Volume's name must be a literal, so the construct and the policy checks know which " +
        'volume is mounted: new Volume(stack, id, { name: "pgdata" })',
    });
  }
  const driver = volume.driverInput;
  if (driver !== undefined && (Token.isUnresolved(driver) || driver !== DEFAULTS.volumeDriver)) {
    problems.push({
      value: driver,
      message: `the Volume's driver must be "${DEFAULTS.volumeDriver}" (or left out): a volume plugin decides itself where the data lives, which nothing here can check`,
    });
  }
  const options: unknown = volume.driverOptsInput;
  if (
    options !== undefined &&
    (Token.isUnresolved(options) || Object.keys(options as object).length > 0)
  ) {
    problems.push({
      value: Token.isUnresolved(options) ? "(a token)" : options,
      message:
        "the Volume has driver options, which can make a local volume a bind of a host path " +
        "(o=bind,device=/...), a host block device (type=ext4,device=/dev/...) or an overlay of " +
        "host directories (CIS 5.6): give a Volume without driver_opts, or leave `volume` out and " +
        "the construct creates one",
    });
  }
  return problems;
}

/**
 * The default name of a data volume: the container's name and the path, joined with `-`
 * (`db` and `/var/lib/postgresql/data` give `db-var-lib-postgresql-data`), at most 128
 * characters.
 */
export function defaultVolumeName(containerName: string, path: string): string {
  const dashed = trimEndChar(path.replace(/[^a-zA-Z0-9_.-]+/g, "-"), "-");
  let start = 0;
  while (dashed[start] === "-") start += 1;
  return `${containerName}-${dashed.slice(start) || "root"}`.slice(0, 128);
}

/** The labels a created volume carries: who owns it and why; not expiry, which is the container's. */
const VOLUME_LABELS: readonly string[] = [
  AuditLabel.managedBy,
  AuditLabel.owner,
  AuditLabel.purpose,
  AuditLabel.contact,
  AuditLabel.ticket,
  AuditLabel.constructPath,
  AuditLabel.deployedBy,
];

/**
 * One `docker_volume` per data volume the spec says to create, in the scope of the container,
 * with a construct id from its name (so reordering `volumes` moves no resource, and never
 * replaces a volume). The volume ignores changes to its labels: the provider makes them force a
 * replacement, and replacing a volume deletes its data, so its labels stay as they were when it
 * was created.
 */
export function createDataVolumes(
  scope: Construct,
  volumes: ResolvedContainerSpec["volumes"],
  labels: Readonly<Record<string, string>>,
): (Volume | undefined)[] {
  const volumeLabels = VOLUME_LABELS.filter((key) => labels[key] !== undefined).map((key) => ({
    label: key,
    value: labels[key],
  }));
  return volumes.map((v) =>
    v.create
      ? new Volume(scope, `volume-${v.name}`, {
          name: v.name,
          driver: DEFAULTS.volumeDriver,
          labels: volumeLabels,
          lifecycle: { ignoreChanges: ["labels"] },
        })
      : undefined,
  );
}
