/**
 * The fix for a field the props do not have. A team coming from raw `docker_container` writes the
 * provider's attribute (`privileged`, `capabilities`, `network_mode`, ...) and must be told what
 * to write instead: the typed relaxation that does exist, or that no relaxation exists and why.
 */

const NOT_RELAXABLE =
  "is not relaxable: remove it. Privileged mode, host namespaces and devices are root on the " +
  "host, and no relaxation turns them on";

/** Known raw settings, by the names the provider and the Docker CLI use, with what to do instead. */
const FIXES: Readonly<Record<string, string>> = {
  privileged:
    `privileged mode ${NOT_RELAXABLE}; grant only the capability the process needs: ` +
    'relaxations: [Relax.addCapabilities(["NET_ADMIN"], "<why>")]',
  capabilities:
    'capabilities are all dropped; add one with relaxations: [Relax.addCapabilities(["NET_BIND_SERVICE"], "<why>")]',
  capAdd:
    'capabilities are all dropped; add one with relaxations: [Relax.addCapabilities(["NET_BIND_SERVICE"], "<why>")]',
  readOnly:
    'the root filesystem is read-only; use tmpfs for scratch space, or relaxations: [Relax.writableRootFilesystem("<why>")]',
  read_only:
    'the root filesystem is read-only; use tmpfs for scratch space, or relaxations: [Relax.writableRootFilesystem("<why>")]',
  networkMode: `a host network namespace ${NOT_RELAXABLE}; attach the container to networks: [HardenedNetwork.bridge(...)]`,
  network_mode: `a host network namespace ${NOT_RELAXABLE}; attach the container to networks: [HardenedNetwork.bridge(...)]`,
  pidMode: `a host PID namespace ${NOT_RELAXABLE}`,
  pid_mode: `a host PID namespace ${NOT_RELAXABLE}`,
  ipcMode: `a host IPC namespace ${NOT_RELAXABLE}`,
  ipc_mode: `a host IPC namespace ${NOT_RELAXABLE}`,
  usernsMode: `a host user namespace ${NOT_RELAXABLE}`,
  userns_mode: `a host user namespace ${NOT_RELAXABLE}`,
  devices: `a host device ${NOT_RELAXABLE}`,
  securityOpts:
    'security options are the library\'s (seccomp, no-new-privileges); allow a syscall with relaxations: [Relax.allowSyscalls(["<syscall>"], "<why>")]',
  security_opts:
    'security options are the library\'s (seccomp, no-new-privileges); allow a syscall with relaxations: [Relax.allowSyscalls(["<syscall>"], "<why>")]',
};

/** The message for unknown fields `keys`: each known raw setting with its own fix. */
export function unknownFieldsMessage(keys: readonly string[]): string {
  const known = keys.filter((k) => Object.prototype.hasOwnProperty.call(FIXES, k));
  const other = keys.filter((k) => !known.includes(k));
  const parts = known.map((k) => `unknown field ${k}: ${FIXES[k]}`);
  if (other.length > 0) {
    parts.push(
      `unknown field(s) ${other.join(", ")}: remove them (security settings are not raw ` +
        "attributes: a default is weakened only by a typed relaxation, Relax.<name>(..., reason); " +
        "docs/constructs-and-relaxations.md lists them)",
    );
  }
  return parts.join("; ");
}
