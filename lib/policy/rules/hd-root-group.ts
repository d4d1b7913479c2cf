import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

const NUMERIC_RE = /^\d+$/;
const NON_ZERO_RE = /^0*[1-9]\d*$/;

/** Groups that own the host: root's group, and the group that may use the Docker socket. */
const HOST_GROUPS: ReadonlySet<string> = new Set(["0", "root", "docker"]);

/** HD-ROOT-GROUP: the container's processes are not in root's group or the docker group. */
export const HD_ROOT_GROUP: Rule = {
  id: "HD-ROOT-GROUP",
  title: "Ensure that the container's user is not in the root or docker group",
  level: "error",
  rationale:
    "A non-root UID with GID 0 (`1000:0`, `app:root`) or a supplementary group 0, root or docker " +
    "(`group_add`) owns whatever root's group owns: files that are group-writable for root, and " +
    "the Docker socket where it is mounted or shared. CIS 4.1 looks at the UID only. A group " +
    "given by another name resolves through the image's /etc/group, which may map it to 0.",
  remediation:
    "Give `user` a numeric, non-zero GID (HardenedContainer's default is 65534:65534) and remove " +
    "0, root and docker from `group_add`.",
  blindSpots:
    "Which GID a group name maps to in the image's /etc/group (unknown); the host GID of the docker group, so a numeric group_add equal to it passes.",
  check: (c) => {
    if (isUnknown(c.user)) return unknown(c.user);
    if (isUnknown(c.groupAdd)) return unknown(c.groupAdd);
    const user = c.user.trim();
    const colon = user.indexOf(":");
    const gid = colon >= 0 ? user.slice(colon + 1) : undefined;
    // The common case, decided without building lists: one numeric, non-zero GID, no extras.
    if (c.groupAdd.length === 0 && (gid === undefined || NON_ZERO_RE.test(gid))) {
      return pass(
        gid === undefined
          ? "no group is given: the user's primary group from the image applies"
          : `group ${gid} is neither root's nor docker's`,
      );
    }
    const groups = [
      ...(gid !== undefined ? [{ group: gid, where: `user ${user}` }] : []),
      ...c.groupAdd.map((group) => ({ group: group.trim(), where: "group_add" })),
    ];
    const host = groups.filter(
      (g) => HOST_GROUPS.has(g.group.toLowerCase()) || /^0+$/.test(g.group),
    );
    if (host.length > 0) {
      return fail(
        `runs in a group that owns the host: ${quoted(host.map((g) => `${g.group} (${g.where})`))}`,
      );
    }
    const named = groups.filter((g) => !NUMERIC_RE.test(g.group));
    if (named.length > 0) {
      return {
        status: "unknown",
        message: `group ${quoted(named.map((g) => g.group))} is a name: its GID comes from the image's /etc/group and may be 0; use a numeric GID`,
      };
    }
    return pass(
      groups.length === 0
        ? "no group is given: the user's primary group from the image applies"
        : `groups ${quoted(groups.map((g) => g.group))} are neither root's nor docker's`,
    );
  },
};
