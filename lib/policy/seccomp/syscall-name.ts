import { z } from "zod";
import { SeccompProfileError } from "./seccomp-profile-error";

/**
 * A syscall name as libseccomp spells it: lowercase letters, digits and underscores
 * (`openat`, `_llseek`, `clock_gettime64`). Names the running kernel does not know are fine
 * (Docker skips them), so no list of "known" syscalls is enforced.
 */
export const SYSCALL_NAME_SCHEMA = z
  .string()
  .regex(/^[a-z0-9_]+$/, {
    error: "must be a syscall name: lowercase letters, digits and underscores only (e.g. `ptrace`)",
  })
  .max(64, { error: "is longer than any syscall name (64 characters at most)" });

const SYSCALL_LIST_SCHEMA = z.array(SYSCALL_NAME_SCHEMA).min(1, {
  error: "is empty: pass at least one syscall name",
});

/**
 * Validates the names given to `SeccompProfile.allow()` / `.deny()` and returns them sorted and
 * without duplicates. Throws a {@link SeccompProfileError} listing every malformed name.
 */
export function validateSyscallNames(method: string, names: unknown): string[] {
  const result = SYSCALL_LIST_SCHEMA.safeParse(names);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const index = issue.path[0];
      if (typeof index === "number" && Array.isArray(names)) {
        return `syscalls[${index}] = ${JSON.stringify(names[index]) ?? String(names[index])}: ${issue.message}`;
      }
      return `syscalls = ${JSON.stringify(names) ?? String(names)}: ${issue.message}`;
    });
    throw new SeccompProfileError(`SeccompProfile.${method}()`, problems);
  }
  return [...new Set(result.data)].sort();
}
