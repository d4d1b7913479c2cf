/** A JSON object: not null, not an array. The one definition the readers of untrusted input share. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
