import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "./support";

/** CIS 5.18: host devices are not directly exposed to containers. */
export const CIS_5_18_HOST_DEVICES: Rule = {
  id: "CIS-5.18",
  title: "Ensure that host devices are not directly exposed to containers",
  level: "error",
  rationale:
    "A host device in a container (a disk, /dev/mem, a GPU) gives raw access to hardware the " +
    "host's file permissions and isolation no longer guard.",
  remediation:
    "Remove `devices` and `gpus`. HardenedContainer maps no devices and offers no relaxation for it.",
  blindSpots:
    "Device access granted through device cgroup rules (`device_cgroup_rules`) or bind mounts of /dev paths (CIS 5.6 judges those).",
  check: (c) => {
    if (isUnknown(c.privileged)) return unknown(c.privileged);
    if (c.privileged)
      return fail("privileged is true: every host device is exposed to the container");
    if (isUnknown(c.devices)) return unknown(c.devices);
    if (c.devices.length > 0) return fail(`host devices are mapped: ${quoted(c.devices)}`);
    if (isUnknown(c.gpus)) return unknown(c.gpus);
    if (c.gpus.length > 0) return fail(`host GPUs are exposed (gpus): ${quoted(c.gpus)}`);
    return pass("no host device is mapped");
  },
};
