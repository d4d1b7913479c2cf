// The seccomp module's index, for the library's own code and tests: the shipped profile, its
// builder, and the checks a policy rule runs on any inline profile. Not the package's surface:
// lib/index.ts exports SeccompProfile and its types, not these constants and helpers.
export {
  SeccompProfile,
  ALLOWED_BY_RELAXATION_COMMENT,
  DENIED_EXPLICITLY_COMMENT,
} from "./seccomp-profile";
export { SeccompProfileError } from "./seccomp-profile-error";
export {
  DANGEROUS_SYSCALLS,
  DangerousSyscall,
  CAPABILITY_GATED_SYSCALLS,
  STRICTER_THAN_DOCKER,
} from "./dangerous-syscalls";
export { DEFAULT_ALLOWED_SYSCALLS } from "./default-allowlist";
export {
  ALLOWED_PERSONALITIES,
  AF_VSOCK,
  CLONE_NAMESPACE_FLAGS,
  ENOSYS,
  EPERM,
  HARDENED_ARCH_MAP,
} from "./hardened-default";
export {
  parseSeccompProfile,
  parseSeccompProfileObject,
  parseSeccompSecurityOpt,
  ParsedSeccompProfile,
  SeccompSecurityOpt,
} from "./parse-profile";
export {
  ALLOW_LIKE_ACTIONS,
  SECCOMP_ACTIONS,
  SECCOMP_OPERATORS,
  SECCOMP_PROFILE_SCHEMA,
  SeccompAction,
  SeccompArch,
  SeccompArchMapEntry,
  SeccompArg,
  SeccompFilter,
  SeccompOperator,
  SeccompProfileJson,
  SeccompSyscallRule,
} from "./profile-types";
export {
  deniedSyscalls,
  isSyscallDenied,
  syscallAccess,
  undeniedSyscalls,
  unconditionallyAllowedSyscalls,
  SyscallAccess,
  SyscallAccessOptions,
} from "./syscall-access";
export { SYSCALL_NAME_SCHEMA } from "./syscall-name";
