import type { ExecResult } from "./engine";

/**
 * The attack battery: fourteen escape and abuse attempts, each run by `docker exec` in the
 * hardened container and in a control container. Every attempt must be blocked in the hardened
 * one and succeed in its control, so each row proves that a protection is present AND that it is
 * what stops the attempt (not the image, the kernel or the test itself).
 */

/** The control containers. All run the same probe image; they differ only as described. */
export type ControlName =
  | "docker-default"
  | "non-root-without-nnp"
  | "cap-sys-admin"
  | "seccomp-unconfined"
  | "docker-socket-mounted";

/** How a control container deviates from `docker run <image>`. */
export interface ControlConfig {
  readonly name: ControlName;
  /** One line for the table. */
  readonly description: string;
  readonly user?: string;
  readonly capAdd?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly binds?: readonly string[];
}

export const CONTROLS: Readonly<Record<ControlName, ControlConfig>> = {
  "docker-default": {
    name: "docker-default",
    description: "Docker defaults: root, default capabilities and seccomp, no limits",
  },
  "non-root-without-nnp": {
    name: "non-root-without-nnp",
    description: "Docker defaults, but the same non-root user 65534:65534 (no no-new-privileges)",
    user: "65534:65534",
  },
  "cap-sys-admin": {
    name: "cap-sys-admin",
    description:
      "Docker defaults + --cap-add SYS_ADMIN (Docker's seccomp then opens mount/unshare/bpf)",
    capAdd: ["SYS_ADMIN"],
  },
  "seccomp-unconfined": {
    name: "seccomp-unconfined",
    description: "Docker defaults + --security-opt seccomp=unconfined (what CIS 5.22 forbids)",
    securityOpt: ["seccomp=unconfined"],
  },
  "docker-socket-mounted": {
    name: "docker-socket-mounted",
    description:
      "Docker defaults + -v /var/run/docker.sock:/var/run/docker.sock (what CIS 5.32 forbids)",
    binds: ["/var/run/docker.sock:/var/run/docker.sock"],
  },
};

/** What one attempt did in one container. */
export interface Outcome {
  /** `error` means neither: the attempt could not be carried out (a broken test, not a result). */
  readonly verdict: "succeeded" | "blocked" | "error";
  readonly detail: string;
  /** The errno the probe reported, when it reported one. */
  readonly errno?: number;
  /** A few words for the summary table (e.g. `errno 30 EROFS`). @default derived from errno */
  readonly summary?: string;
  /** Fork attempts: forks the PIDs cgroup refused during the attempt (`pids.events` max). */
  readonly pidsCgroupRefusals?: number;
}

/** Errno values the assertions name. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EAGAIN: 11,
  EACCES: 13,
  EROFS: 30,
} as const;

/** `errno 30 EROFS` for the errno values above, `errno N` for others. */
export function errnoText(errno: number): string {
  const name = Object.entries(ERRNO).find(([, value]) => value === errno)?.[0];
  return name ? `errno ${errno} ${name}` : `errno ${errno}`;
}

export interface Attempt {
  /** Row number in the issue's list ("9a" for the syscalls' sub-rows). */
  readonly id: string;
  readonly title: string;
  /** The control this attempt must succeed in. */
  readonly control: ControlName;
  /** Why the control is not plain Docker defaults, when it is not. */
  readonly controlWhy?: string;
  /** The command run with `docker exec`. */
  readonly command: readonly string[];
  /** Run the command as this (non-root) user in both containers. @default the container's user */
  readonly user?: string;
  /** The errno the hardened container must refuse it with (the right protection, not another). */
  readonly hardenedErrno?: number;
  /** Reads the exec result. @default {@link probeOutcome} */
  readonly interpret?: (result: ExecResult) => Outcome;
}

const RESULT_LINE = /^RESULT (\S+) (succeeded|blocked) (.*)$/m;

/**
 * Reads the probe's `RESULT <attempt> succeeded|blocked <detail>` line. The exit code must agree
 * (0 succeeded, 1 blocked); anything else is an error, which fails both assertions.
 */
export function probeOutcome(result: ExecResult): Outcome {
  const match = RESULT_LINE.exec(result.output);
  const expectedExit = match?.[2] === "succeeded" ? 0 : 1;
  if (!match || result.exitCode !== expectedExit) {
    return {
      verdict: "error",
      detail: `exit ${result.exitCode}: ${result.output.trim() || "(no output)"}`,
    };
  }
  const errno = /errno=(\d+)/.exec(match[3]);
  return {
    verdict: match[2] as "succeeded" | "blocked",
    detail: match[3],
    ...(errno ? { errno: Number(errno[1]) } : {}),
  };
}

/** Exit status of a process killed by SIGKILL (the OOM killer's signal). */
const KILLED = 128 + 9;

/** The allocation attempt: an OOM kill (exit 137, no result line) is the limit at work. */
export function allocOutcome(result: ExecResult): Outcome {
  if (result.exitCode === KILLED && !RESULT_LINE.test(result.output)) {
    return {
      verdict: "blocked",
      detail: "the probe was killed (SIGKILL, exit 137): OOM in its cgroup",
      summary: "OOM-killed (exit 137)",
    };
  }
  return probeOutcome(result);
}

/** The setuid attempt: `suid-id` prints the ids it runs with. Euid 0 means privileges gained. */
export function setuidOutcome(result: ExecResult): Outcome {
  const match = /^SUID ruid=(\d+) euid=(\d+) .*$/m.exec(result.output);
  if (!match)
    return { verdict: "error", detail: `exit ${result.exitCode}: ${result.output.trim()}` };
  const line = match[0].replace(/^SUID /, "");
  if (match[2] === "0" && result.exitCode === 0) {
    return {
      verdict: "succeeded",
      detail: `setuid-root binary ran with euid 0 (${line})`,
      summary: "euid 0",
    };
  }
  if (match[2] !== "0" && result.exitCode === 1) {
    return {
      verdict: "blocked",
      detail: `setuid bit ignored, euid stays ${match[2]} (${line})`,
      summary: `euid stays ${match[2]}`,
    };
  }
  return { verdict: "error", detail: `exit ${result.exitCode}: ${result.output.trim()}` };
}

/** Shell that prints the container's own CPU and PIDs cgroup limits (v1 and v2 paths). */
export const CGROUP_LIMITS_SCRIPT = [
  "for f in /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us \\",
  "  /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max; do",
  '  if [ -r "$f" ]; then echo "$f=$(cat "$f")"; fi',
  "done",
].join("\n");

/** The cgroup limits a container runs under, as read from inside it. */
export interface CgroupLimits {
  /** CPUs allowed per period (quota / period), or undefined when unbounded. */
  readonly cpus: number | undefined;
  /** Maximum number of tasks, or undefined when unbounded. */
  readonly pids: number | undefined;
  /** What was read, for the table. */
  readonly raw: string;
}

/** Parses {@link CGROUP_LIMITS_SCRIPT}'s output; undefined when no file could be read. */
export function parseCgroupLimits(output: string): CgroupLimits | undefined {
  const values = new Map<string, string>();
  for (const line of output.split("\n")) {
    const eq = line.indexOf("=");
    if (line.startsWith("/sys/fs/cgroup/") && eq > 0)
      values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const quotaV1 = values.get("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const periodV1 = values.get("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  const cpuV2 = values.get("/sys/fs/cgroup/cpu.max");
  const pidsText =
    values.get("/sys/fs/cgroup/pids/pids.max") ?? values.get("/sys/fs/cgroup/pids.max");
  let cpus: number | undefined;
  let cpuRaw: string | undefined;
  if (quotaV1 !== undefined && periodV1 !== undefined) {
    cpuRaw = `cpu.cfs_quota_us=${quotaV1} cpu.cfs_period_us=${periodV1}`;
    cpus = Number(quotaV1) > 0 ? Number(quotaV1) / Number(periodV1) : undefined;
  } else if (cpuV2 !== undefined) {
    cpuRaw = `cpu.max=${cpuV2}`;
    const [quota, period] = cpuV2.split(/\s+/);
    cpus = quota !== "max" ? Number(quota) / Number(period) : undefined;
  }
  if (cpuRaw === undefined || pidsText === undefined) return undefined;
  const pids = /^\d+$/.test(pidsText) ? Number(pidsText) : undefined;
  return { cpus, pids, raw: `${cpuRaw} pids.max=${pidsText}` };
}

/** The CPU/PIDs attempt: "succeeded" means the container runs without either bound. */
export function cgroupOutcome(result: ExecResult): Outcome {
  const limits = result.exitCode === 0 ? parseCgroupLimits(result.output) : undefined;
  if (!limits)
    return { verdict: "error", detail: `exit ${result.exitCode}: ${result.output.trim()}` };
  if (limits.cpus !== undefined && limits.pids !== undefined) {
    return {
      verdict: "blocked",
      detail: `bounded: ${limits.raw}`,
      summary: `${limits.cpus} CPU, ${limits.pids} PIDs`,
    };
  }
  if (limits.cpus === undefined && limits.pids === undefined) {
    return {
      verdict: "succeeded",
      detail: `unbounded: ${limits.raw}`,
      summary: "no CPU quota, no PIDs bound",
    };
  }
  return { verdict: "error", detail: `only partly bounded: ${limits.raw}` };
}

/** Prints the cgroup's `pids.events` max counter (v1 or v2 path): forks the limit refused. */
const PIDS_EVENTS = "cat /sys/fs/cgroup/pids/pids.events /sys/fs/cgroup/pids.events 2>/dev/null";

/**
 * The fork attempt, wrapped so that the PIDs cgroup's refusal counter is read before and after:
 * it tells the PIDs limit apart from any other refusal with the same EAGAIN (an `nproc` ulimit,
 * which HardenedContainer no longer sets: Linux counts it per uid across the host).
 */
export function forkCommand(target: number, holdSeconds: number): readonly string[] {
  return [
    "sh",
    "-c",
    `b=$(${PIDS_EVENTS}); /usr/local/bin/probe fork ${target} ${holdSeconds}; rc=$?; ` +
      `echo "PIDS-EVENTS before=[$b] after=[$(${PIDS_EVENTS})]"; exit $rc`,
  ];
}

/** Reads {@link forkCommand}'s output: the probe's result plus the PIDs cgroup's refusals. */
export function forkOutcome(result: ExecResult): Outcome {
  const base = probeOutcome(result);
  const events = /PIDS-EVENTS before=\[max (\d+)\] after=\[max (\d+)\]/.exec(result.output);
  if (base.verdict === "error" || !events) {
    return base.verdict === "error"
      ? base
      : { ...base, verdict: "error", detail: `no pids.events: ${result.output.trim()}` };
  }
  const refusals = Number(events[2]) - Number(events[1]);
  const reached = /REACHED (\d+) of/.exec(result.output)?.[1];
  const stoppedBy =
    base.verdict !== "blocked"
      ? ""
      : refusals > 0
        ? `; the PIDs cgroup refused ${refusals} fork(s)`
        : "; something other than the PIDs cgroup refused it (pids.events unchanged)";
  return {
    ...base,
    detail: base.detail + stoppedBy,
    summary:
      base.verdict === "blocked"
        ? `EAGAIN at ${reached} processes, ${refusals > 0 ? "PIDs cgroup" : "not the PIDs cgroup"}`
        : `${reached} processes`,
    pidsCgroupRefusals: refusals,
  };
}

/** How many processes the fork attempt aims for (the hardened PIDs limit is 128). */
export const FORK_TARGET = 300;
/** Seconds the fork attempt holds its processes while the host is checked. */
export const FORK_HOLD_SECONDS = 2;
/** The memory attempt allocates and touches this much (the hardened limit is 256 MiB). */
export const ALLOC_MIB = 400;

const probe = (...args: string[]): readonly string[] => ["/usr/local/bin/probe", ...args];

/**
 * The attempts in the order they run. The memory attempt runs last: an OOM kill is contained to
 * the probe process, but nothing after it should depend on that.
 */
export const ATTEMPTS: readonly Attempt[] = [
  {
    id: "1",
    title: "write a file on the root filesystem",
    control: "docker-default",
    command: probe("write-root", "/probe-write"),
    hardenedErrno: ERRNO.EROFS,
  },
  {
    id: "2",
    title: `fork ${FORK_TARGET} processes (beyond the PIDs limit)`,
    control: "docker-default",
    command: forkCommand(FORK_TARGET, FORK_HOLD_SECONDS),
    hardenedErrno: ERRNO.EAGAIN,
    interpret: forkOutcome,
  },
  {
    id: "2b",
    title: `fork ${FORK_TARGET} processes as a second non-root uid (only the PIDs cgroup stops it)`,
    control: "docker-default",
    // Another uid than the container's own: the PIDs cgroup bounds every process of the
    // container, whoever runs it (a per-uid limit such as nproc would not).
    user: "65533:65533",
    command: forkCommand(FORK_TARGET, 0),
    hardenedErrno: ERRNO.EAGAIN,
    interpret: forkOutcome,
  },
  {
    id: "4",
    title: "open a raw socket (SOCK_RAW, ICMP)",
    control: "docker-default",
    command: probe("raw-socket"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "5",
    title: "chown a file to another uid and to 0:0, then setuid(0)",
    control: "docker-default",
    command: probe("chown-setuid"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "6",
    title: "gain root through a setuid-root binary in the image",
    control: "non-root-without-nnp",
    controlWhy: "the attempt is by a non-root user, so the control runs as the same user",
    command: ["/usr/local/bin/suid-id"],
    interpret: setuidOutcome,
  },
  {
    id: "7",
    title: "mount a tmpfs",
    control: "cap-sys-admin",
    controlWhy: "Docker's default (no CAP_SYS_ADMIN, default seccomp) blocks mount too",
    command: probe("mount"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "8",
    title: "create new namespaces (user, then network + mount)",
    control: "cap-sys-admin",
    controlWhy: "Docker's default seccomp blocks unshare without CAP_SYS_ADMIN too",
    command: probe("namespaces"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "9a",
    title: "syscall ptrace (PTRACE_ATTACH to its own child)",
    control: "docker-default",
    command: probe("syscall", "ptrace"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "9b",
    title: "syscall bpf (BPF_MAP_CREATE)",
    control: "cap-sys-admin",
    controlWhy: "Docker's default seccomp allows bpf only with CAP_SYS_ADMIN",
    command: probe("syscall", "bpf"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "9c",
    title: "syscall keyctl (KEYCTL_GET_KEYRING_ID, needs no capability)",
    control: "seccomp-unconfined",
    controlWhy: "Docker's default seccomp denies keyctl too; only a seccomp filter stops it",
    command: probe("syscall", "keyctl"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "9d",
    title: "syscall add_key (user key, needs no capability)",
    control: "seccomp-unconfined",
    controlWhy: "Docker's default seccomp denies add_key too; only a seccomp filter stops it",
    command: probe("syscall", "add_key"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "9e",
    title: "syscall perf_event_open (software clock on itself)",
    control: "cap-sys-admin",
    controlWhy: "Docker's default seccomp allows perf_event_open only with CAP_SYS_ADMIN",
    command: probe("syscall", "perf_event_open"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "10",
    title: "execute a file written to the writable /tmp",
    control: "docker-default",
    command: probe("exec-tmp"),
    hardenedErrno: ERRNO.EACCES,
  },
  {
    id: "11",
    title: "listen on TCP port 80 (below 1024)",
    control: "docker-default",
    command: probe("bind-low-port", "80"),
    hardenedErrno: ERRNO.EACCES,
  },
  {
    id: "12",
    title: "create a device node (mknod c 1 1, /dev/mem)",
    control: "docker-default",
    command: probe("mknod"),
    hardenedErrno: ERRNO.EPERM,
  },
  {
    id: "13",
    title: "reach the Docker Engine through /var/run/docker.sock",
    control: "docker-socket-mounted",
    controlWhy: "a Docker-default container has no socket either; teams bind-mount it",
    command: probe("docker-socket", "/var/run/docker.sock"),
    hardenedErrno: ERRNO.ENOENT,
  },
  {
    id: "14",
    title: "run without a CPU quota and PIDs bound (cgroup files)",
    control: "docker-default",
    command: ["sh", "-c", CGROUP_LIMITS_SCRIPT],
    interpret: cgroupOutcome,
  },
  {
    id: "3",
    title: `allocate and touch ${ALLOC_MIB} MiB (beyond the memory limit)`,
    control: "docker-default",
    command: probe("alloc", String(ALLOC_MIB)),
    interpret: allocOutcome,
  },
];

/** The numbered attempts (1 to 14), each covered by one or more rows. */
export function attemptNumbers(attempts: readonly Attempt[] = ATTEMPTS): number[] {
  return [...new Set(attempts.map((a) => Number.parseInt(a.id, 10)))].sort((a, b) => a - b);
}
