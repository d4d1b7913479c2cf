import { engineSocketReachedBy, hostPathsOfMount } from "../facts/host-paths";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** CIS 5.32: the Docker socket is not mounted inside any container. */
export const CIS_5_32_DOCKER_SOCKET: Rule = {
  id: "CIS-5.32",
  title: "Ensure that the Docker socket is not mounted inside any containers",
  level: "error",
  rationale:
    "Whoever reaches the Docker socket controls the engine and so the host: it can start a " +
    "privileged container with the host's root filesystem. A bind of the directory holding it " +
    "(`/run`, `/var/run`) reaches it as well, read-only or not (a read-only bind does not stop " +
    "`connect()`), and so does containerd's socket.",
  remediation:
    "Remove the mount of docker.sock. HardenedContainer `mounts` refuses it; give the workload a " +
    "narrow API instead.",
  blindSpots:
    "Engine endpoints under other names or paths (a TCP socket, a renamed socket file, a socket reached through a host symlink); what a named volume created outside the stack holds; volume plugins other than the local driver.",
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const socket = c.mounts.flatMap((m) =>
      hostPathsOfMount(m).flatMap((host) => {
        const reached = engineSocketReachedBy(host);
        if (reached === undefined) return [];
        const what =
          m.type === "volume"
            ? `volume ${m.source} (${m.volumeAccess ?? `shows ${host}`})`
            : m.source;
        return [`${what} -> ${m.target}${reached !== host ? ` (reaches ${reached})` : ""}`];
      }),
    );
    if (socket.length > 0) return fail(`mounts the Docker socket: ${quoted(socket)}`);
    return pass("the Docker socket is not mounted");
  },
};
