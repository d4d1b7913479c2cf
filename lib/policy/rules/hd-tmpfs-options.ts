import { MountModel } from "../model";
import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { failAbout, notApplicable, pass, quoted, unknown } from "./support";

/** Each required flag and the option that undoes it. */
const FLAGS = [
  ["noexec", "exec"],
  ["nosuid", "suid"],
  ["nodev", "dev"],
] as const;

/** The required flags a tmpfs mount's options do not end up setting (the last of a pair wins). */
export function missingTmpfsFlags(mount: MountModel): string[] {
  const options = mount.tmpfsOptions ?? [];
  return FLAGS.filter(([on, off]) => {
    let set = false;
    for (const option of options) {
      if (option === on) set = true;
      if (option === off) set = false;
    }
    return !set;
  }).map(([on]) => on);
}

/** HD-TMPFS-OPTIONS: writable tmpfs mounts are noexec, nosuid and nodev. */
export const HD_TMPFS_OPTIONS: Rule = {
  id: "HD-TMPFS-OPTIONS",
  title: "Ensure that writable tmpfs mounts are noexec, nosuid and nodev",
  level: "error",
  waivedBy: ["executableTmpfs"],
  rationale:
    "With a read-only root filesystem, writable tmpfs paths are where an intruder drops tools; " +
    "noexec keeps them from running, nosuid and nodev keep setuid files and device nodes " +
    "inert. The flags must be written explicitly, so the intent does not depend on an engine's " +
    "defaults; tmpfs mounts made with `mounts` blocks cannot carry flags and fail.",
  remediation:
    "Declare writable paths with the `tmpfs` map and the options `rw,noexec,nosuid,nodev`. " +
    "HardenedContainer does (`tmpSizeMiB`, `tmpfs`); `Relax.executableTmpfs([path], reason)` is " +
    "the reasoned exception for noexec.",
  blindSpots: "tmpfs mounts made by the image's entrypoint or at runtime.",
  check: (c) => {
    if (isUnknown(c.mounts)) return unknown(c.mounts);
    const writable = c.mounts.filter((m) => m.type === "tmpfs" && !m.readOnly);
    if (writable.length === 0) return pass("no writable tmpfs mount");
    const bad = writable
      .map((m) => ({ target: m.target, missing: missingTmpfsFlags(m) }))
      .filter((x) => x.missing.length > 0);
    if (bad.length > 0 && c.kind === "service") {
      return notApplicable(
        `not enforceable on a service (${quoted(bad.map((b) => b.target))}): ${SERVICE_NOT_ENFORCEABLE.tmpfsFlags}`,
      );
    }
    if (bad.length > 0) {
      // Only a missing noexec is about a path Relax.executableTmpfs can name; nosuid and nodev
      // have no relaxation.
      return failAbout(
        `writable tmpfs mounts without required flags: ${quoted(bad.map((b) => `${b.target} lacks ${b.missing.join(",")}`))}`,
        "tmpfsPath",
        bad.filter((b) => b.missing.includes("noexec")).map((b) => b.target),
        bad
          .filter((b) => b.missing.some((flag) => flag !== "noexec"))
          .map((b) => ({ kind: "setting", value: `${b.target} without nosuid,nodev` })),
      );
    }
    return pass(
      `every writable tmpfs mount is noexec,nosuid,nodev: ${quoted(writable.map((m) => m.target))}`,
    );
  },
};
