import { DANGEROUS_SYSCALLS, SeccompProfile } from "../../../lib/seccomp";
import { HD_SECCOMP_DENYLIST } from "../../../lib/policy/rules/hd-seccomp-denylist";
import { ruleCases } from "./support/policy-harness";

const hardened = `seccomp=${SeccompProfile.hardenedDefault().toJson()}`;
const ptraceAllowed = `seccomp=${SeccompProfile.hardenedDefault().allow(["ptrace"]).toJson()}`;
/** A deny-list profile: allow everything, deny exactly the dangerous syscalls. */
const denyList = `seccomp=${JSON.stringify({
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [{ names: [...DANGEROUS_SYSCALLS], action: "SCMP_ACT_ERRNO" }],
})}`;
/** A deny-list that misses mount and only denies unshare for some arguments. */
const leaky = `seccomp=${JSON.stringify({
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [
    {
      names: DANGEROUS_SYSCALLS.filter((s) => s !== "mount" && s !== "unshare"),
      action: "SCMP_ACT_ERRNO",
    },
    {
      names: ["unshare"],
      action: "SCMP_ACT_ERRNO",
      args: [{ index: 0, value: 268435456, op: "SCMP_CMP_MASKED_EQ", valueTwo: 268435456 }],
    },
  ],
})}`;

describe("HD-SECCOMP-DENYLIST", () => {
  ruleCases(HD_SECCOMP_DENYLIST, [
    {
      name: "the shipped hardened profile",
      raw: { config: { securityOpts: ["no-new-privileges:true", hardened] } },
      tf: { security_opts: [hardened] },
      status: "pass",
      message: /denies all 20/,
    },
    { name: "an allowlist profile (compliant fixture)", tf: {}, status: "pass" },
    {
      name: "a deny-list profile naming every dangerous syscall",
      tf: { security_opts: [denyList] },
      status: "pass",
    },
    {
      name: "no seccomp option",
      raw: {},
      status: "pass",
      message: /^no seccomp option: Docker's default profile applies$/,
    },
    {
      name: "a relaxed profile allowing ptrace",
      raw: { config: { securityOpts: [ptraceAllowed] } },
      status: "fail",
      message: /does not deny "ptrace"/,
    },
    {
      name: "a deny-list missing mount, denying unshare only for some arguments",
      tf: { security_opts: [leaky] },
      status: "fail",
      message: /does not deny "mount", "unshare"/,
    },
    {
      name: "seccomp=unconfined",
      tf: { security_opts: ["seccomp=unconfined"] },
      status: "fail",
      message: /unconfined/,
    },
    {
      name: "privileged (no seccomp at all)",
      raw: { config: { privileged: true, securityOpts: [hardened] } },
      status: "fail",
      message: /privileged/,
    },
    {
      name: "seccomp=<file path>",
      raw: { config: { securityOpts: ["seccomp=/etc/docker/seccomp.json"] } },
      tf: { security_opts: ["seccomp:/etc/docker/seccomp.json"] },
      status: "unknown",
      message: /names a file.*Decoding seccomp profile failed/,
    },
    {
      name: "broken inline JSON",
      tf: { security_opts: ['seccomp={"defaultAction":'] },
      status: "fail",
      message: /not valid/,
    },
  ]);
});
