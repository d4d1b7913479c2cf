import { Rule } from "../rule";
import { hostNamespaceRule } from "./support";

/** CIS 5.17: the host's IPC namespace is not shared. */
export const CIS_5_17_HOST_IPC: Rule = hostNamespaceRule({
  id: "CIS-5.17",
  title: "Ensure that the host's IPC namespace is not shared",
  namespace: "IPC",
  attribute: "ipc_mode",
  read: (c) => c.ipcMode,
  failModes: {
    shareable:
      "other containers may join its IPC namespace (ipc_mode container:<it>) and read or corrupt its shared memory",
  },
  blindSpots:
    "The IPC namespace another container shares with `ipc_mode = container:<x>` (unknown); the daemon's default-ipc-mode when a live container shows none.",
  rationale:
    "With the host's IPC namespace a container reaches host shared memory and semaphores, and " +
    "can read or corrupt what host processes exchange there.",
});
