import { DaemonRule } from "../daemon-model";
import { fail, notApplicable, pass } from "../rules/support";

/** CIS 2.7: an engine reached over TCP speaks TLS and checks who calls. */
export const CIS_2_7_TCP_TLS: DaemonRule = {
  id: "CIS-2.7",
  title: "Ensure TLS authentication is used for an engine reached over TCP",
  level: "error",
  rationale:
    "The Engine API is root on the host: anyone who reaches a `tcp://` port without TLS can " +
    "start a privileged container that mounts /. This engine answered this audit over plain " +
    "TCP, so it answers anyone else who reaches the port the same way.",
  remediation:
    "Start dockerd with `--tlsverify --tlscacert --tlscert --tlskey` (port 2376), or reach it " +
    "over `ssh://` or a unix socket only; audit it with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH.",
  blindSpots:
    "Other sockets the daemon listens on (only the endpoint this audit used shows); whether " +
    "the daemon requires client certificates (`--tlsverify`) or only serves TLS.",
  check: (d) => {
    const e = d.endpoint;
    if (e.transport === "tcp") {
      if (e.tls !== true) {
        return fail(
          `${e.address} answers the Engine API over plain TCP: anyone who reaches it is root on the host`,
        );
      }
      return e.tlsVerify === false
        ? fail(
            `${e.address} speaks TLS but this client does not verify its certificate (DOCKER_TLS_VERIFY unset)`,
          )
        : pass(`${e.address} is reached over TLS with the server's certificate verified`);
    }
    if (e.transport === "ssh") return pass(`${e.address} is reached over SSH`);
    return notApplicable(
      `${e.address} is a local socket (its file permissions decide who is root); other listeners do not show`,
    );
  },
};
