import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Attempt, CONTROLS, Outcome, errnoText } from "./attacks";

/** One row of the battery's result table. */
export interface AttackRow {
  readonly attempt: Attempt;
  readonly hardened: Outcome;
  readonly control: Outcome;
  /** The same attempt in a Docker-default container, when the row's control is another one. */
  readonly dockerDefault?: Outcome;
  readonly seconds: number;
}

/** Where the table is written besides stdout (gitignored). */
export const ATTACK_TABLE_FILE = path.resolve(__dirname, "..", ".work", "attack-table.txt");

function cell(outcome: Outcome): string {
  const word = outcome.verdict === "error" ? "ERROR" : outcome.verdict.toUpperCase();
  return `${word}: ${outcome.detail}`;
}

function short(outcome: Outcome): string {
  const word = outcome.verdict === "error" ? "ERROR" : outcome.verdict;
  const why =
    outcome.summary ?? (outcome.errno !== undefined ? errnoText(outcome.errno) : undefined);
  return why ? `${word} (${why})` : word;
}

function sortRows(rows: readonly AttackRow[]): AttackRow[] {
  return [...rows].sort(
    (a, b) =>
      Number.parseInt(a.attempt.id, 10) - Number.parseInt(b.attempt.id, 10) ||
      a.attempt.id.localeCompare(b.attempt.id),
  );
}

/** The summary table: one line per row, fixed-width columns. */
export function renderSummaryTable(rows: readonly AttackRow[]): string[] {
  const header = ["#", "attempt", "hardened", "control", "control configuration", "Docker default"];
  const body = sortRows(rows).map((r) => [
    r.attempt.id,
    r.attempt.title,
    short(r.hardened),
    short(r.control),
    r.attempt.control,
    r.dockerDefault ? short(r.dockerDefault) : "(= control)",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(" | ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)];
}

/** Counts per issue number (1-14): blocked when every row of it is blocked, and so on. */
export function tally(rows: readonly AttackRow[]): {
  attempts: number;
  hardenedBlocked: number;
  controlSucceeded: number;
} {
  const byNumber = new Map<number, AttackRow[]>();
  for (const row of rows) {
    const n = Number.parseInt(row.attempt.id, 10);
    byNumber.set(n, [...(byNumber.get(n) ?? []), row]);
  }
  let hardenedBlocked = 0;
  let controlSucceeded = 0;
  for (const group of byNumber.values()) {
    if (group.every((r) => r.hardened.verdict === "blocked")) hardenedBlocked++;
    if (group.every((r) => r.control.verdict === "succeeded")) controlSucceeded++;
  }
  return { attempts: byNumber.size, hardenedBlocked, controlSucceeded };
}

/** Renders the table as plain text: one block per row, so long details stay readable. */
export function renderAttackTable(rows: readonly AttackRow[], header: readonly string[]): string {
  const t = tally(rows);
  const lines: string[] = [...header, "", ...renderSummaryTable(rows), ""];
  lines.push(
    `Hardened: ${t.hardenedBlocked}/${t.attempts} blocked.  ` +
      `Controls: ${t.controlSucceeded}/${t.attempts} succeeded.`,
  );
  lines.push("", "Details:");
  for (const row of sortRows(rows)) {
    const { attempt } = row;
    lines.push(`${attempt.id.padEnd(3)} ${attempt.title}`);
    lines.push(`    hardened : ${cell(row.hardened)}`);
    lines.push(`    control  : ${cell(row.control)}   [${attempt.control}]`);
    if (row.dockerDefault) {
      lines.push(`    docker default: ${cell(row.dockerDefault)}   (${attempt.controlWhy ?? ""})`);
    }
  }
  lines.push("");
  lines.push("Controls:");
  for (const control of Object.values(CONTROLS)) {
    lines.push(`  [${control.name}] ${control.description}`);
  }
  return lines.join("\n");
}

/** Prints the table to stdout (unbuffered, so jest shows it as is) and writes it to a file. */
export function publishAttackTable(text: string): void {
  mkdirSync(path.dirname(ATTACK_TABLE_FILE), { recursive: true });
  writeFileSync(ATTACK_TABLE_FILE, text + "\n");
  process.stdout.write(`\n${text}\n(also written to ${ATTACK_TABLE_FILE})\n\n`);
}
