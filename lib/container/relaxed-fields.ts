import type { ShapeFailures } from "../validation/one-pass";
import type { ValidationProblem } from "../validation/validation-error";
import { RELAXATION_SUBJECT, RelaxationKind } from "../policy/relaxations";

/**
 * The props fields whose checks each relaxation takes part in, for HardenedContainer and
 * HardenedService alike: a problem on such a field may be waived by the relaxation, and the
 * relaxation is checked against the field ("relaxes nothing", "port 80 is not published").
 */
export const RELAXED_FIELDS: Readonly<Record<RelaxationKind, readonly string[]>> = {
  addCapabilities: [],
  runAsRoot: ["user"],
  privilegedPorts: ["ports"],
  publishOnAllInterfaces: ["ports"],
  writableRootFilesystem: [],
  writableBindMount: ["mounts"],
  executableTmpfs: ["tmpfs", "tmpSizeMiB"],
  allowSyscalls: ["seccomp"],
  noHealthcheck: ["healthcheck"],
  untrustedRegistry: ["image", "trustedRegistries"],
};

const ANY_RELAXED_FIELD = new Set(Object.values(RELAXED_FIELDS).flat());

function kindOf(value: unknown): RelaxationKind | undefined {
  return typeof value === "string" && Object.hasOwn(RELAXATION_SUBJECT, value)
    ? (value as RelaxationKind)
    : undefined;
}

/**
 * For the one-pass validation of a workload's props: true when a semantic problem may only be
 * an echo of a refused field. A problem on a field that a refused relaxation would have relaxed
 * (any relaxable field, when the refused one has no known kind); a problem about a relaxation
 * ("relaxes nothing", a port it names is not published) whose field was refused.
 */
export function followsFromRefusedField(
  problem: ValidationProblem,
  failures: ShapeFailures,
): boolean {
  const [top, second] = problem.field.split(".");
  if (top === "relaxations") {
    // relaxations.<i>: about the relaxation itself (given twice, not for a service).
    if (second !== undefined && /^\d+$/.test(second)) return false;
    const kind = kindOf(second ?? problem.value);
    const fields = kind === undefined ? [...ANY_RELAXED_FIELD] : RELAXED_FIELDS[kind];
    return fields.some((f) => failures.fields.has(f));
  }
  const refusedRelaxations = failures.elements.get("relaxations") ?? [];
  return refusedRelaxations.some(({ raw }) => {
    const kind = kindOf((raw as { kind?: unknown } | null)?.kind);
    return kind === undefined
      ? ANY_RELAXED_FIELD.has(top ?? "")
      : RELAXED_FIELDS[kind].includes(top ?? "");
  });
}
