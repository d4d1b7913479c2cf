import { X509Certificate } from "node:crypto";
import { DaemonRule } from "../daemon-model";
import { isUnknown } from "../unknown";
import { fail, notApplicable, pass, unknown } from "../rules/support";

const DAY_NS = 86_400 * 1e9;
/** Swarm's default node certificate lifetime, and the most the rule accepts. */
export const MAX_NODE_CERT_DAYS = 90;
/** A root CA expiring within this many days must be rotated now. */
export const CA_WARNING_DAYS = 30;

/** CIS 7.7 / 7.8: node certificates are short-lived and the swarm's root CA is not about to expire. */
export const CIS_7_7_CERTIFICATE_EXPIRY: DaemonRule = {
  id: "CIS-7.7",
  title: "Ensure that Swarm node certificates are rotated and the root CA is not expiring",
  level: "warning",
  rationale:
    "A node certificate is what lets a node into the swarm: a long lifetime keeps a stolen one " +
    "working. A root CA that expires takes every node out of the swarm at once (CIS 7.8).",
  remediation:
    `\`docker swarm update --cert-expiry ${MAX_NODE_CERT_DAYS * 24}h\` (or less), and ` +
    "`docker swarm ca --rotate` well before the root CA expires.",
  blindSpots:
    "Each node's current certificate (only the swarm's configured lifetime and root CA show); " +
    "an external CA's own policy.",
  check: (d, context) => {
    if (isUnknown(d.swarm)) return unknown(d.swarm);
    if (d.swarm === undefined) return notApplicable("not a Swarm manager");
    if (isUnknown(d.swarm.nodeCertExpiryNs)) return unknown(d.swarm.nodeCertExpiryNs);
    if (isUnknown(d.swarm.trustRoot)) return unknown(d.swarm.trustRoot);
    const days = d.swarm.nodeCertExpiryNs / DAY_NS;
    let caEnd: Date;
    try {
      caEnd = new Date(new X509Certificate(d.swarm.trustRoot).validTo);
    } catch (error) {
      return fail(`the swarm's root CA certificate cannot be read: ${(error as Error).message}`);
    }
    const caDaysLeft = Math.floor((caEnd.getTime() - context.now.getTime()) / 86_400_000);
    const problems: string[] = [];
    if (days > MAX_NODE_CERT_DAYS) {
      problems.push(`node certificates live ${days.toFixed(0)} days (over ${MAX_NODE_CERT_DAYS})`);
    }
    if (caDaysLeft < CA_WARNING_DAYS) {
      problems.push(
        `the root CA expires in ${caDaysLeft} days (${caEnd.toISOString().slice(0, 10)})`,
      );
    }
    if (problems.length > 0) return fail(problems.join("; "));
    return pass(
      `node certificates live ${days.toFixed(0)} days; the root CA is valid until ${caEnd.toISOString().slice(0, 10)}`,
    );
  },
};
