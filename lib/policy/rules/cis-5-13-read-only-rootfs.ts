import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, unknown } from "./support";

/** CIS 5.13: the root filesystem is mounted read-only. */
export const CIS_5_13_READ_ONLY_ROOTFS: Rule = {
  id: "CIS-5.13",
  title: "Ensure that the container's root filesystem is mounted as read only",
  level: "error",
  waivedBy: ["writableRootFilesystem"],
  rationale:
    "A read-only root filesystem keeps an intruder from changing binaries or configuration and " +
    "from dropping tools; writes go only to declared tmpfs paths and volumes.",
  remediation:
    "Set `read_only = true` and give writable paths as tmpfs mounts. HardenedContainer does both " +
    "(`tmpSizeMiB`, `tmpfs`); `Relax.writableRootFilesystem` is the reasoned exception.",
  blindSpots: "Writable paths through volumes, binds and tmpfs mounts (other rules judge those).",
  check: (c) => {
    if (isUnknown(c.readOnlyRootfs)) return unknown(c.readOnlyRootfs);
    return c.readOnlyRootfs
      ? pass("the root filesystem is read-only")
      : fail("the root filesystem is writable");
  },
};
