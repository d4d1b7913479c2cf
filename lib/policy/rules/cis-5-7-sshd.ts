import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, quoted, unknown } from "./support";

/** `/usr/sbin/sshd -D`, `sshd: /usr/sbin/sshd -D [listener]`, `sshd: root@pts/0`. */
const SSHD_RE = /(^|[\s/])sshd(\s|:|$)/;

/** CIS 5.7: sshd is not run within containers. */
export const CIS_5_7_SSHD: Rule = {
  id: "CIS-5.7",
  title: "Ensure sshd is not run within containers",
  level: "warning",
  rationale:
    "An SSH daemon in a container is one more service to patch and secure, and a way around the " +
    "Engine's access control; `docker exec` does the job. Only a running container's process " +
    "list can show it, so synthesized configuration is not applicable.",
  remediation: "Do not start sshd in the image's command; use `docker exec` for maintenance.",
  blindSpots:
    "From configuration, what will run (decided only on a live host); on a live host, an sshd started after the process list was read or renamed.",
  check: (c) => {
    if (c.kind === "service") {
      return notApplicable(
        "not applicable to a service's configuration: checked on the processes of its running task containers (audit the host)",
      );
    }
    if (c.source === "terraform") {
      return notApplicable(
        "not applicable to synthesized configuration: checked on a running container's processes",
      );
    }
    if (c.processes === undefined) {
      return notApplicable(
        "not applicable: the container's process list was not read (it runs only for running containers)",
      );
    }
    if (isUnknown(c.processes)) return unknown(c.processes);
    const sshd = c.processes.filter((p) => SSHD_RE.test(p));
    if (sshd.length > 0) return fail(`sshd runs in the container: ${quoted(sshd)}`);
    return pass(`no sshd among ${c.processes.length} processes`);
  },
};
