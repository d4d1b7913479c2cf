import type { Container } from "@cdktf/provider-docker/lib/container";
import { IConstruct } from "constructs";
import { checkWithStack, StackCheck } from "../construct/stack-check";
import { modelFromTerraformContainer } from "../synth/terraform-json";
import { isUnknown } from "../policy/unknown";
import { formatProblem } from "../validation/validation-error";
import { engineSocketReachedBy, sensitiveDirectoryOf } from "../policy/facts/host-paths";

/**
 * The synth-time refusal of volumes that reach the host. A named volume is only a name in the
 * container's props; what it mounts is decided by the `docker_volume` of that name (its driver
 * and `driver_opts`) or by the mount's own `volume_options`, which may be written anywhere in the
 * stack, after the container. So the check runs when the stack synthesizes (a construct
 * validation, which cdktf runs before writing anything), on the container as it will be written
 * (escape-hatch overrides included), read by the same reader as the policy rules: a volume whose
 * driver shows a sensitive host path or an engine socket (`o=bind` of `/etc`, an overlay of
 * `/etc`, `type=ext4,device=/dev/sda1`, `type=proc`), or whose reach cannot be told (a plugin, an
 * NFS export, two `docker_volume` resources of its name, one whose name is only known at apply
 * time), is refused.
 */
export function refuseHostReachingVolumes(owner: IConstruct, container: Container): void {
  checkWithStack(owner, VOLUME_REACH, { owner, container });
}

interface Registered {
  readonly owner: IConstruct;
  readonly container: Container;
}

/** The stack is rendered at most once per synthesis, and only if a container mounts a volume. */
const VOLUME_REACH: StackCheck<Registered> = {
  validate: (stack, registered) => {
    let json: Record<string, unknown> | undefined;
    return registered.flatMap(({ owner, container }) => {
      const id = stack.getLogicalId(container);
      // The container's own JSON first (overrides included): most containers mount no volume.
      const own = bodyOf(container.toTerraform() as Record<string, unknown>, id);
      if (own === undefined || !mountsAVolume(own)) return [];
      json ??= stack.toTerraform() as Record<string, unknown>;
      return volumeProblems(owner, id, json);
    });
  },
};

/** The problems of the container `id` of the rendered stack `json`, named for `owner`. */
function volumeProblems(owner: IConstruct, id: string, json: Record<string, unknown>): string[] {
  const bodyJson = bodyOf(json, id);
  if (bodyJson === undefined || !mountsAVolume(bodyJson)) return [];
  const model = modelFromTerraformContainer({ resourceName: id, body: bodyJson, stack: json });
  const path = owner.node.path;
  if (isUnknown(model.mounts)) {
    return [
      formatProblem({
        constructPath: path,
        field: "mounts",
        value: "(a volume)",
        message: `${model.mounts.explanation}: HardenedContainer mounts only volumes whose reach it can tell (CIS 5.6, 5.32): use a local volume without driver options, or a bind mount of a dedicated host directory`,
      }),
    ];
  }
  return model.mounts.flatMap((m) => {
    if (m.type !== "volume") return [];
    return (m.volumeHostPaths ?? []).flatMap((host) => {
      const dir = sensitiveDirectoryOf(host);
      const socket = engineSocketReachedBy(host);
      if (dir === undefined && socket === undefined) return [];
      return [
        formatProblem({
          constructPath: path,
          field: `mounts (volume ${m.source} at ${m.target})`,
          value: m.source,
          message: `the volume ${m.volumeAccess ?? `shows ${host}`}, ${socket !== undefined ? `which reaches the engine socket ${socket} (CIS 5.32)` : `a sensitive host directory (${dir}, CIS 5.6)`}: not relaxable; use a volume without driver options (Docker's own folder) or a bind of a dedicated directory`,
        }),
      ];
    });
  });
}

/** The body of `docker_container.<id>` in a rendered configuration, if it is an object. */
function bodyOf(json: Record<string, unknown>, id: string): Record<string, unknown> | undefined {
  const containers = (json.resource as Record<string, Record<string, unknown>> | undefined)
    ?.docker_container;
  const body = containers?.[id];
  return body !== null && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
}

/** Whether the written container mounts a named volume (a `mounts` or `volumes` block). */
function mountsAVolume(body: Readonly<Record<string, unknown>>): boolean {
  const blocks = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : value !== undefined && value !== null ? [value] : [];
  if (body.dynamic !== undefined) return true;
  const mounts = blocks(body.mounts).some(
    (m) => m !== null && typeof m === "object" && (m as { type?: unknown }).type !== "bind",
  );
  const volumes = blocks(body.volumes).some(
    (v) =>
      v !== null && typeof v === "object" && (v as { host_path?: unknown }).host_path === undefined,
  );
  return mounts || volumes;
}
