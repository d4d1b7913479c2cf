import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, failAbout, pass, unknown } from "./support";

const NUMERIC_RE = /^\d+$/;

/**
 * CIS 4.1: the container runs as a non-root user.
 *
 * Decision: a user given by name (`app`, `nobody:nogroup`) fails. A name resolves through the
 * image's /etc/passwd, which the image author controls and which may map it to UID 0, so it
 * cannot be verified from the configuration; a numeric UID:GID can.
 */
export const CIS_4_1_NON_ROOT_USER: Rule = {
  id: "CIS-4.1",
  title: "Ensure that a user for the container has been created",
  level: "error",
  waivedBy: ["runAsRoot"],
  rationale:
    "A process running as root in a container is one kernel bug or misconfiguration away from " +
    "root on the host. Stricter than CIS: the user must be a numeric, non-zero UID (optionally " +
    "with a GID); an empty user (the image's, usually root), root, 0, 0:<gid> and user names " +
    "fail, since a name's UID depends on the image's /etc/passwd.",
  remediation:
    "Set `user` to a numeric UID:GID such as 65534:65534 (HardenedContainer's default). " +
    "`Relax.runAsRoot(reason)` is the reasoned exception.",
  blindSpots:
    "The image's USER and /etc/passwd (an empty or named user fails instead of being resolved), and a daemon-wide user-namespace remap (userns-remap) that makes UID 0 unprivileged on the host.",
  check: (c) => {
    if (isUnknown(c.user)) return unknown(c.user);
    const user = c.user.trim();
    if (user === "")
      return fail("user is not set: the image's user applies (root unless the image sets USER)");
    const [uid, gid] = user.split(":", 2);
    if (uid === "root" || (NUMERIC_RE.test(uid) && Number(uid) === 0)) {
      return failAbout(`runs as root (user ${JSON.stringify(user)})`, "user", [user]);
    }
    if (!NUMERIC_RE.test(uid)) {
      return failAbout(
        `user ${JSON.stringify(user)} is a name: its UID comes from the image's /etc/passwd and may be 0; use a numeric UID:GID`,
        "user",
        [user],
      );
    }
    const group =
      gid === undefined
        ? ""
        : gid === "0" || gid === "root"
          ? ` with group ${gid} (root's group)`
          : ` GID ${gid}`;
    return pass(`runs as UID ${uid}${group}`);
  },
};
