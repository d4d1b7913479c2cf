import { Rule } from "./rule";
import { CIS_4_1_NON_ROOT_USER } from "./rules/cis-4-1-non-root-user";
import { CIS_4_2_TRUSTED_REGISTRY } from "./rules/cis-4-2-trusted-registry";
import { CIS_4_5_PINNED_BY_DIGEST } from "./rules/cis-4-5-pinned-by-digest";
import { CIS_4_6_HEALTHCHECK } from "./rules/cis-4-6-healthcheck";
import { CIS_5_2_APPARMOR } from "./rules/cis-5-2-apparmor";
import { CIS_5_3_SELINUX } from "./rules/cis-5-3-selinux";
import { CIS_5_4_CAPABILITIES } from "./rules/cis-5-4-capabilities";
import { CIS_5_5_PRIVILEGED } from "./rules/cis-5-5-privileged";
import { CIS_5_6_SENSITIVE_HOST_DIRS } from "./rules/cis-5-6-sensitive-host-dirs";
import { CIS_5_7_SSHD } from "./rules/cis-5-7-sshd";
import { CIS_5_8_PRIVILEGED_PORTS } from "./rules/cis-5-8-privileged-ports";
import { CIS_5_10_HOST_NETWORK } from "./rules/cis-5-10-host-network";
import { CIS_5_11_MEMORY_LIMIT } from "./rules/cis-5-11-memory-limit";
import { CIS_5_12_CPU_PRIORITY } from "./rules/cis-5-12-cpu-priority";
import { CIS_5_13_READ_ONLY_ROOTFS } from "./rules/cis-5-13-read-only-rootfs";
import { CIS_5_14_HOST_INTERFACE } from "./rules/cis-5-14-host-interface";
import { CIS_5_15_RESTART_POLICY } from "./rules/cis-5-15-restart-policy";
import { CIS_5_16_HOST_PID } from "./rules/cis-5-16-host-pid";
import { CIS_5_17_HOST_IPC } from "./rules/cis-5-17-host-ipc";
import { CIS_5_18_HOST_DEVICES } from "./rules/cis-5-18-host-devices";
import { CIS_5_19_ULIMITS } from "./rules/cis-5-19-ulimits";
import { CIS_5_20_MOUNT_PROPAGATION } from "./rules/cis-5-20-mount-propagation";
import { CIS_5_21_HOST_UTS } from "./rules/cis-5-21-host-uts";
import { CIS_5_22_SECCOMP_ENABLED } from "./rules/cis-5-22-seccomp-enabled";
import { CIS_5_25_CGROUP_PARENT } from "./rules/cis-5-25-cgroup-parent";
import { CIS_5_26_NO_NEW_PRIVILEGES } from "./rules/cis-5-26-no-new-privileges";
import { CIS_5_27_RUNTIME_HEALTHCHECK } from "./rules/cis-5-27-runtime-healthcheck";
import { CIS_5_29_PIDS_LIMIT } from "./rules/cis-5-29-pids-limit";
import { CIS_5_30_DEFAULT_BRIDGE } from "./rules/cis-5-30-default-bridge";
import { CIS_5_31_HOST_USERNS } from "./rules/cis-5-31-host-userns";
import { CIS_5_32_DOCKER_SOCKET } from "./rules/cis-5-32-docker-socket";
import { HD_AUDIT_LABELS } from "./rules/hd-audit-labels";
import { HD_CGROUPNS } from "./rules/hd-cgroupns";
import { HD_CONFINEMENT } from "./rules/hd-confinement";
import { HD_EXPIRES } from "./rules/hd-expires";
import { HD_IMAGE_SIGNED } from "./rules/hd-image-signed";
import { HD_LOG_ROTATION } from "./rules/hd-log-rotation";
import { HD_MEMORY_SWAP } from "./rules/hd-memory-swap";
import { HD_ROOT_GROUP } from "./rules/hd-root-group";
import { HD_RUNTIME } from "./rules/hd-runtime";
import { HD_SECCOMP_DENYLIST } from "./rules/hd-seccomp-denylist";
import { HD_SECRET_ENV } from "./rules/hd-secret-env";
import { HD_SYSCTLS } from "./rules/hd-sysctls";
import { HD_TMPFS_OPTIONS } from "./rules/hd-tmpfs-options";

/**
 * The rule packs: plain lists of rules (the engine applies them, handles levels, suppressions
 * and reports). Each rule lives in its own file under `rules/`, named by its ID.
 */

/** The CIS Docker Benchmark 1.6.0 checks a container's configuration can decide (sections 4 and 5). */
export const CIS_DOCKER_PACK: readonly Rule[] = [
  CIS_4_1_NON_ROOT_USER,
  CIS_4_2_TRUSTED_REGISTRY,
  CIS_4_5_PINNED_BY_DIGEST,
  CIS_4_6_HEALTHCHECK,
  CIS_5_2_APPARMOR,
  CIS_5_3_SELINUX,
  CIS_5_4_CAPABILITIES,
  CIS_5_5_PRIVILEGED,
  CIS_5_6_SENSITIVE_HOST_DIRS,
  CIS_5_7_SSHD,
  CIS_5_8_PRIVILEGED_PORTS,
  CIS_5_10_HOST_NETWORK,
  CIS_5_11_MEMORY_LIMIT,
  CIS_5_12_CPU_PRIORITY,
  CIS_5_13_READ_ONLY_ROOTFS,
  CIS_5_14_HOST_INTERFACE,
  CIS_5_15_RESTART_POLICY,
  CIS_5_16_HOST_PID,
  CIS_5_17_HOST_IPC,
  CIS_5_18_HOST_DEVICES,
  CIS_5_19_ULIMITS,
  CIS_5_20_MOUNT_PROPAGATION,
  CIS_5_21_HOST_UTS,
  CIS_5_22_SECCOMP_ENABLED,
  CIS_5_25_CGROUP_PARENT,
  CIS_5_26_NO_NEW_PRIVILEGES,
  CIS_5_27_RUNTIME_HEALTHCHECK,
  CIS_5_29_PIDS_LIMIT,
  CIS_5_30_DEFAULT_BRIDGE,
  CIS_5_31_HOST_USERNS,
  CIS_5_32_DOCKER_SOCKET,
];

/** The project's own rules (`HD-`): what CIS leaves out and HardenedContainer enforces. */
export const PROJECT_PACK: readonly Rule[] = [
  HD_LOG_ROTATION,
  HD_AUDIT_LABELS,
  HD_EXPIRES,
  HD_TMPFS_OPTIONS,
  HD_SECCOMP_DENYLIST,
  HD_MEMORY_SWAP,
  HD_IMAGE_SIGNED,
  HD_ROOT_GROUP,
  HD_SYSCTLS,
  HD_CGROUPNS,
  HD_CONFINEMENT,
  HD_RUNTIME,
  HD_SECRET_ENV,
];

/** Both packs: what `evaluate`, the CLI and `HardenedDockerChecks` apply by default. */
export const DEFAULT_RULES: readonly Rule[] = [...CIS_DOCKER_PACK, ...PROJECT_PACK];
