import type { z } from "zod";
import { validateInOnePass } from "../validation/one-pass";
import { ValidationProblem } from "../validation/validation-error";
import { followsFromRefusedField } from "./relaxed-fields";
import { refuseTokens } from "./token-guard";
import { ResolveContext } from "./workload-resolver";

/**
 * How HardenedContainer and HardenedService props become a spec: Terraform tokens in the props
 * that decide security are refused first, then the schema and the checks between fields run in
 * one pass (relaxations element by element), and every problem comes out in one
 * HardenedDockerValidationError.
 */
export function resolveWorkload<S extends z.ZodObject, R>(
  schema: S,
  raw: unknown,
  context: ResolveContext,
  resolverOf: (fields: Partial<z.output<S>>) => {
    resolve(): R;
    readonly problems: ValidationProblem[];
  },
): R {
  refuseTokens(raw, context.constructPath);
  return validateInOnePass({
    schema,
    raw,
    constructPath: context.constructPath,
    elementwise: ["relaxations"],
    followsFrom: followsFromRefusedField,
    check: (fields) => {
      const resolver = resolverOf(fields);
      const result = resolver.resolve();
      return { result, problems: resolver.problems };
    },
  });
}
