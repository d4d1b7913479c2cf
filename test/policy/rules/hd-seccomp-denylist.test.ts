import { DANGEROUS_SYSCALLS, SeccompProfile } from "../../../lib/policy/seccomp";
import { HD_SECCOMP_DENYLIST } from "../../../lib/policy/rules/hd-seccomp-denylist";
import { ruleCases } from "./support/policy-harness";

const hardened = `seccomp=${SeccompProfile.hardenedDefault().toJson()}`;
const ptraceAllowed = `seccomp=${SeccompProfile.hardenedDefault().allow(["ptrace"]).toJson()}`;
/** The CLONE_NEW* flags, one bit each. */
const NAMESPACE_FLAGS = [
  0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000,
];
/**
 * A deny-list profile: allow everything, deny exactly the dangerous syscalls, `clone3`, and
 * `clone` whenever its flags carry a CLONE_NEW* bit (one rule per flag).
 */
const denyList = `seccomp=${JSON.stringify({
  defaultAction: "SCMP_ACT_ALLOW",
  syscalls: [
    { names: [...DANGEROUS_SYSCALLS, "clone3"], action: "SCMP_ACT_ERRNO" },
    ...NAMESPACE_FLAGS.map((flag) => ({
      names: ["clone"],
      action: "SCMP_ACT_ERRNO",
      args: [{ index: 0, value: flag, valueTwo: flag, op: "SCMP_CMP_MASKED_EQ" }],
    })),
  ],
})}`;
/** The shipped profile with one rule added that allows `names` unconditionally. */
function shippedPlus(names: string[]): string {
  const profile = JSON.parse(SeccompProfile.hardenedDefault().toJson()) as {
    syscalls: unknown[];
  };
  profile.syscalls.push({ names, action: "SCMP_ACT_ALLOW" });
  return `seccomp=${JSON.stringify(profile)}`;
}
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
      message: /denies all 31 escape syscalls and namespace-creating clone calls/,
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
      name: "the shipped profile plus the new mount API",
      tf: {
        security_opts: [shippedPlus(["fsopen", "fsconfig", "fsmount", "move_mount", "open_tree"])],
      },
      status: "fail",
      message: /does not deny "fsopen", "fsconfig", "fsmount", "move_mount", "open_tree"/,
    },
    {
      name: "the shipped profile plus io_uring and chroot",
      tf: {
        security_opts: [
          shippedPlus(["io_uring_setup", "io_uring_enter", "io_uring_register", "chroot"]),
        ],
      },
      status: "fail",
      message: /"io_uring_setup", "io_uring_enter", "io_uring_register", "chroot"/,
    },
    {
      name: "the shipped profile plus clone without a flags condition",
      tf: { security_opts: [shippedPlus(["clone"])] },
      status: "fail",
      message: /does not deny "clone \(with namespace flags\)"$/,
    },
    {
      name: "the shipped profile plus clone3",
      tf: { security_opts: [shippedPlus(["clone3"])] },
      status: "fail",
      message: /does not deny "clone3"$/,
    },
    {
      name: "a deny-list that denies the names but lets clone create namespaces",
      tf: {
        security_opts: [
          `seccomp=${JSON.stringify({
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [{ names: [...DANGEROUS_SYSCALLS], action: "SCMP_ACT_ERRNO" }],
          })}`,
        ],
      },
      status: "fail",
      message: /"clone \(with namespace flags\)", "clone3"/,
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
