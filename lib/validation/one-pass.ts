import { z } from "zod";
import {
  HardenedDockerValidationError,
  ValidationProblem,
  problemsFromZod,
} from "./validation-error";

/**
 * Validation in one pass: a construct reports every problem of its props in one
 * HardenedDockerValidationError, shape problems (the zod schema) and semantic ones (the checks
 * that relate fields to each other) together, instead of a shape error hiding the rest until the
 * next run.
 *
 * When the schema refuses some fields, the semantic checks still run, on the fields that passed
 * it (a refused field is absent). A semantic problem is then left out when it may only be an echo
 * of a shape problem: when its own field was refused (the shape problem says more), or when the
 * construct's `followsFrom` says so (a problem a refused relaxation might have waived).
 */

/** What the schema refused, for telling real semantic problems from echoes. */
export interface ShapeFailures {
  /** Top-level fields with a shape problem. */
  readonly fields: ReadonlySet<string>;
  /**
   * For the fields checked element by element (see `elementwise`): each refused element, by
   * its index in the input, with its value as given.
   */
  readonly elements: ReadonlyMap<
    string,
    readonly { readonly index: number; readonly raw: unknown }[]
  >;
}

/** What the semantic checks return: the resolved result, and every problem they found. */
export interface CheckResult<R> {
  readonly result: R;
  readonly problems: readonly ValidationProblem[];
}

export interface OnePassOptions<S extends z.ZodObject, R> {
  readonly schema: S;
  /** The props as given. */
  readonly raw: unknown;
  readonly constructPath: string;
  /**
   * The semantic checks, on the fields that passed the schema (all of them when it passed, so
   * a field the props type requires may be absent only when a shape problem was found).
   */
  readonly check: (fields: Partial<z.output<S>>) => CheckResult<R>;
  /**
   * Array fields whose well-formed elements the semantic checks still see when other elements
   * are refused (problems naming `<field>.<i>` keep pointing at the element as given).
   */
  readonly elementwise?: readonly string[];
  /** True for a semantic problem on another field that may only follow from `failures`. */
  readonly followsFrom?: (problem: ValidationProblem, failures: ShapeFailures) => boolean;
}

/**
 * Validates and resolves a construct's props in one pass: returns the semantic checks' result,
 * or throws one HardenedDockerValidationError listing every shape and semantic problem, each with
 * the construct path, the field, the value and the fix.
 */
export function validateInOnePass<S extends z.ZodObject, R>(options: OnePassOptions<S, R>): R {
  const { schema, raw, constructPath } = options;
  const parsed = schema.safeParse(raw);
  if (parsed.success) {
    const { result, problems } = options.check(parsed.data as Partial<z.output<S>>);
    if (problems.length > 0) throw new HardenedDockerValidationError(problems);
    return result;
  }
  const shapeProblems = problemsFromZod(constructPath, parsed.error, raw);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new HardenedDockerValidationError(shapeProblems);
  }
  const input = raw as Record<string, unknown>;
  const refused = new Set(
    parsed.error.issues.filter((i) => i.path.length > 0).map((i) => String(i.path[0])),
  );
  const elementwise = new Set(options.elementwise ?? []);
  const elements = new Map<string, { index: number; raw: unknown }[]>();
  /** For each element-wise field: the input index of each element the checks see. */
  const inputIndex = new Map<string, number[]>();
  const fields: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const value = input[key];
    if (!refused.has(key)) {
      const field = fieldSchema.safeParse(value);
      if (field.success && field.data !== undefined) fields[key] = field.data;
      continue;
    }
    const element = elementwise.has(key) ? arrayElement(fieldSchema) : undefined;
    if (element === undefined || !Array.isArray(value)) continue;
    const kept: unknown[] = [];
    const indices: number[] = [];
    const failed: { index: number; raw: unknown }[] = [];
    value.forEach((item, index) => {
      const one = element.safeParse(item);
      if (one.success) {
        kept.push(one.data);
        indices.push(index);
      } else failed.push({ index, raw: item });
    });
    fields[key] = kept;
    inputIndex.set(key, indices);
    elements.set(key, failed);
  }
  const failures: ShapeFailures = { fields: refused, elements };
  let semantic: readonly ValidationProblem[];
  try {
    semantic = options.check(fields as Partial<z.output<S>>).problems;
  } catch {
    // The checks are written for input that passed the schema; if a partial input still trips
    // one, the shape problems below are reported alone (and the rest on the next run).
    semantic = [];
  }
  const echoes = (p: ValidationProblem) => {
    const top = p.field.split(".")[0] ?? "";
    if (refused.has(top) && !inputIndex.has(top)) return true;
    return options.followsFrom?.(p, failures) ?? false;
  };
  const reported = semantic.map((p) => withInputIndex(p, inputIndex)).filter((p) => !echoes(p));
  throw new HardenedDockerValidationError([...shapeProblems, ...reported]);
}

/** The element schema of an (optional) array schema. */
function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
}

/** `relaxations.1.reason` as the checks saw it -> the same element's index in the input. */
function withInputIndex(
  problem: ValidationProblem,
  inputIndex: ReadonlyMap<string, readonly number[]>,
): ValidationProblem {
  const [top, index, ...rest] = problem.field.split(".");
  const indices = inputIndex.get(top ?? "");
  if (indices === undefined || index === undefined || !/^\d+$/.test(index)) return problem;
  const original = indices[Number(index)];
  if (original === undefined) return problem;
  return { ...problem, field: [top, String(original), ...rest].join(".") };
}
