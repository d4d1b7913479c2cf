import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, pass, quoted, unknown } from "../rules/support";
import { isLoopbackRegistry } from "./cis-2-5-insecure-registries";

/** HD-DAEMON-REGISTRY-MIRRORS: Docker Hub pulls go through mirrors reached over TLS. */
export const HD_DAEMON_REGISTRY_MIRRORS: DaemonRule = {
  id: "HD-DAEMON-REGISTRY-MIRRORS",
  title: "Ensure that registry mirrors are reached over HTTPS",
  level: "warning",
  rationale:
    "A registry mirror answers every pull of a Docker Hub image by tag: a mirror over plain " +
    "HTTP (off the host) lets anyone on the path serve other images under the same names. " +
    "Images pinned by digest are checked against the digest; tags are not.",
  remediation:
    "List mirrors as `https://` URLs in `registry-mirrors`, or remove them; pin images by digest " +
    "(CIS 4.5) so a mirror cannot change what runs.",
  blindSpots:
    "Who runs the mirror and what it caches; mirrors of registries other than Docker Hub.",
  check: (d) => {
    if (isUnknown(d.registryMirrors)) return unknown(d.registryMirrors);
    if (d.registryMirrors.length === 0) return pass("no registry mirrors");
    const plain = d.registryMirrors.filter((m) => {
      const match = /^http:\/\/([^/]+)/i.exec(m.trim());
      return match !== null && !isLoopbackRegistry(match[1] as string);
    });
    if (plain.length > 0) return fail(`registry mirrors over plain HTTP: ${quoted(plain)}`);
    return pass(`registry mirrors over HTTPS or loopback: ${quoted(d.registryMirrors)}`);
  },
};
