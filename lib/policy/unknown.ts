/**
 * A value that is only known at apply time (a cdktf token, a Terraform reference) or that the
 * input did not let us read. Rules that meet one give the verdict `unknown` with the explanation,
 * never a pass and never a crash.
 */
export class Unknown {
  public readonly kind = "unknown" as const;
  constructor(
    /** What could not be known and why, e.g. `"${var.user}" is only known at apply time`. */
    public readonly explanation: string,
  ) {}
}

/** A model field: the value, or why it is not known. */
export type Maybe<T> = T | Unknown;

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}
