import { describeWaiver, WaiverEntry } from "../findings";

/**
 * The waiver section every report starts with, as plain lines: the waivers honoured (rule,
 * resource, reason, expiry, who wrote it) and those refused, with why. Every relaxation a
 * container records is among them, whether or not its rule would have failed.
 */
export function waiverLines(waivers: readonly WaiverEntry[]): string[] {
  const honoured = waivers.filter((w) => w.status === "honoured");
  const refused = waivers.filter((w) => w.status === "refused");
  return [
    `## Waivers honoured: ${honoured.length}`,
    ...honoured.map((w) => `   - ${waiverLine(w)}${w.used ? "" : " [not needed in this run]"}`),
    `## Waivers refused: ${refused.length}`,
    ...refused.map((w) => `   - ${waiverLine(w)}; refused: ${w.why ?? "?"}`),
  ];
}

/** One waiver in one line. */
export function waiverLine(w: WaiverEntry): string {
  const where = w.constructPath !== undefined ? `${w.resource} (${w.constructPath})` : w.resource;
  const until = w.expires !== undefined ? `, until ${w.expires}` : "";
  return (
    `${w.ruleId ?? "(no rule: recorded relaxation)"} on ${where}: "${w.reason}"${until}; ` +
    `written by ${describeWaiver(w)}`
  );
}
