/**
 * What a failing verdict is about, so that an exception waives only the values it names.
 *
 * A rule whose failure can be narrowed to values (capabilities added, host ports published,
 * syscalls left open, paths mounted) lists them as subjects of its verdict. A relaxation names
 * values of one subject kind (`Relax.addCapabilities(["NET_BIND_SERVICE"])` names the capability
 * `NET_BIND_SERVICE`); the engine suppresses the failure only when every subject of the verdict
 * is named. A failure without subjects, or with a subject of another kind (`setting`: privileged
 * mode, seccomp off, a tmpfs without nosuid), can only be waived by an exception that names no
 * values: a `Suppressions.add` entry for the whole rule.
 */
export type SubjectKind =
  /** A Linux capability without the `CAP_` prefix, upper case (CIS 5.4). */
  | "capability"
  /** The `user` a container runs as, as written (CIS 4.1). */
  | "user"
  /** A published host port, in decimal (CIS 5.8). */
  | "hostPort"
  /** A syscall the seccomp profile does not deny (HD-SECCOMP-DENYLIST). */
  | "syscall"
  /** A tmpfs mount target without `noexec` (HD-TMPFS-OPTIONS). */
  | "tmpfsPath"
  /** A bind mount target mounted read-write. */
  | "mountTarget"
  /** A setting no relaxation can name: privileged mode, seccomp off, a missing nosuid. */
  | "setting";

/** One value a failure is about. */
export interface Subject {
  readonly kind: SubjectKind;
  readonly value: string;
}

/** The values an exception names: it waives failures about these and nothing else. */
export interface SubjectCover {
  readonly kind: SubjectKind;
  readonly values: readonly string[];
}

/** `{ kind, value }` for each of `values`. */
export function subjectsOf(kind: SubjectKind, values: readonly string[]): Subject[] {
  return values.map((value) => ({ kind, value }));
}

/**
 * The subjects none of `covers` names. A verdict without subjects is not about named values,
 * so none of it is covered: the result is `undefined` then (the caller says so in its message).
 */
export function uncoveredSubjects(
  subjects: readonly Subject[] | undefined,
  covers: readonly SubjectCover[],
): readonly Subject[] | undefined {
  if (subjects === undefined || subjects.length === 0) return undefined;
  return subjects.filter(
    (s) => !covers.some((c) => c.kind === s.kind && c.values.includes(s.value)),
  );
}

/** `capability "SYS_ADMIN", hostPort "22"`: subjects for a message. */
export function describeSubjects(subjects: readonly Subject[]): string {
  return subjects.map((s) => `${s.kind} ${JSON.stringify(s.value)}`).join(", ");
}
