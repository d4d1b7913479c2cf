/**
 * The paths of /proc and /sys Docker hides (`MaskedPaths`) or makes read-only (`ReadonlyPaths`)
 * in every unprivileged container (moby `oci/defaults.go`; as `docker inspect` shows them on
 * Docker 20.10). `--security-opt systempaths=unconfined` (the CLI and the 4.x provider turn it
 * into empty lists) exposes them all: `/proc/kcore` (the host's memory), `/proc/keys`,
 * `/proc/sysrq-trigger` (reboot the host), `/proc/sys` (kernel parameters).
 */
export const DOCKER_MASKED_PATHS: readonly string[] = [
  "/proc/asound",
  "/proc/acpi",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
];

export const DOCKER_READONLY_PATHS: readonly string[] = [
  "/proc/bus",
  "/proc/fs",
  "/proc/irq",
  "/proc/sys",
  "/proc/sysrq-trigger",
];

/** Every path Docker masks or makes read-only by default. */
export const DOCKER_SYSTEM_PATHS: readonly string[] = [
  ...DOCKER_MASKED_PATHS,
  ...DOCKER_READONLY_PATHS,
];

/** The security option that turns both lists off. */
export const SYSTEMPATHS_UNCONFINED = "systempaths=unconfined";

/**
 * The default paths a live container does not get masked or read-only, from its
 * `HostConfig.MaskedPaths` and `ReadonlyPaths` (a masked path needs no read-only entry). `null`
 * lists mean the daemon's defaults, except in privileged mode, where nothing is masked.
 */
export function unmaskedOf(
  masked: readonly string[] | null | undefined,
  readonly: readonly string[] | null | undefined,
  privileged: boolean,
): string[] {
  if (masked == null && readonly == null) return privileged ? [...DOCKER_SYSTEM_PATHS] : [];
  const hidden = new Set(masked ?? (privileged ? [] : DOCKER_MASKED_PATHS));
  const frozen = new Set(readonly ?? (privileged ? [] : DOCKER_READONLY_PATHS));
  return [
    ...DOCKER_MASKED_PATHS.filter((p) => !hidden.has(p)),
    ...DOCKER_READONLY_PATHS.filter((p) => !hidden.has(p) && !frozen.has(p)),
  ];
}
