import { z } from "zod";
import { formatIsoDate } from "../policy/facts/iso-date";
import { imageFromReference } from "../policy/normalize";
import { TOOL_NAME, toolVersion } from "../policy/reports/tool-info";
import type { ImageSignatureFacts } from "../policy/rule";
import { isUnknown } from "../policy/unknown";
import { ContainerSummary } from "./container-summary";
import { cleanText, daysLeft, readAuditLabels } from "./label-values";

/**
 * The inventory: what is deployed, by whom, when, why, until when, and under which relaxations,
 * with flags for what needs attention. Built from the container list alone (one Engine call):
 * every field it shows is in the list entry.
 */

/** What needs attention on a container. */
export const INVENTORY_FLAGS = [
  /** Owner, purpose or expires is missing: nobody can say who runs it, why, until when. */
  "unlabelled",
  /** The expiry day is over. */
  "expired",
  /** The expiry day falls within the look-ahead (`--within`). */
  "expiring",
  /** The image is referenced by a tag: what runs is whatever the tag pointed to at the time. */
  "unpinned-image",
  /** One of our labels holds garbage: a date that is not one, control characters, a huge value. */
  "invalid-label",
  /**
   * Trusted keys were given (`--trusted-key`) and no cosign signature by one of them could be
   * verified over the image's digest (unsigned, another key, or the registry could not be asked).
   */
  "unsigned-image",
] as const;

export type InventoryFlag = (typeof INVENTORY_FLAGS)[number];

const relaxationSchema = z.object({
  kind: z.string(),
  reason: z.string(),
  rules: z.array(z.string()),
  /** The values it names (capabilities, ports, paths, syscalls, user), when it names any. */
  names: z.array(z.string()).optional(),
  /** False when its labels do not spell a valid relaxation (it then waives nothing). */
  valid: z.boolean(),
});

/** One row of the inventory (the JSON contract; fields are only ever added). */
export const inventoryEntrySchema = z.object({
  name: z.string(),
  /** The first 12 characters of the container ID. */
  id: z.string(),
  state: z.string(),
  image: z.string(),
  /** True when the image is fixed by content (`name@sha256:...` or an image ID). */
  imagePinned: z.boolean(),
  /**
   * With `--trusted-key`: true when a cosign signature by a trusted key covers the image's
   * registry digest; false otherwise. Absent when no key was given.
   */
  imageSigned: z.boolean().optional(),
  owner: z.string().optional(),
  purpose: z.string().optional(),
  deployedBy: z.string().optional(),
  /** The `deployed-at` label, else the container's creation time from the engine. */
  deployedAt: z.string().optional(),
  deployedAtSource: z.enum(["label", "engine"]).optional(),
  expires: z.string().optional(),
  /** Days until the expiry day (negative once over), when `expires` is a real date. */
  daysLeft: z.number().int().optional(),
  relaxations: z.array(relaxationSchema),
  flags: z.array(z.enum(INVENTORY_FLAGS)),
  /** Why each flag is raised and what else was odd, one line each. */
  notes: z.array(z.string()),
});

export type InventoryEntry = z.infer<typeof inventoryEntrySchema>;

/** The JSON inventory's contract. Consumers can validate with `inventoryReportSchema.parse`. */
export const inventoryReportSchema = z.object({
  tool: z.literal(TOOL_NAME),
  version: z.string(),
  /** When the inventory was taken (ISO 8601). */
  generatedAt: z.string(),
  /** The look-ahead for `expiring`, in days. */
  withinDays: z.number().int().nonnegative(),
  containers: z.array(inventoryEntrySchema),
  summary: z.object({
    containers: z.number().int().nonnegative(),
    flagged: z.number().int().nonnegative(),
    byFlag: z.record(z.enum(INVENTORY_FLAGS), z.number().int().nonnegative()),
  }),
});

export type InventoryReport = z.infer<typeof inventoryReportSchema>;

/** Options of {@link buildInventory}. */
export interface InventoryOptions {
  readonly now: Date;
  /** Look-ahead for `expiring`, in days. */
  readonly withinDays: number;
  /**
   * Signature look-ups by container ID (see `lookUpImageSignatures`), when trusted keys were
   * given. @default none: signatures are not shown
   */
  readonly imageSignatures?: ImageSignatureFacts;
}

/** One container's inventory row. */
export function inventoryEntry(
  summary: ContainerSummary,
  options: InventoryOptions,
): InventoryEntry {
  const labels = readAuditLabels(summary.labels);
  const flags: InventoryFlag[] = [];
  const notes: string[] = [...summary.problems];
  if (labels.missing.length > 0) {
    flags.push("unlabelled");
    notes.push(`missing audit labels: ${labels.missing.join(", ")}`);
  }
  const left = daysLeft(labels, options.now);
  if (left !== undefined && left < 0) {
    flags.push("expired");
    notes.push(`expired on ${labels.expires} (${-left} days ago)`);
  } else if (left !== undefined && left <= options.withinDays) {
    flags.push("expiring");
    notes.push(`expires on ${labels.expires} (in ${left} days, within ${options.withinDays})`);
  }
  const image = summary.image !== "" ? summary.image : summary.imageId;
  const model = image === "" ? undefined : imageFromReference(image);
  const imagePinned = model !== undefined && !isUnknown(model) && model.pinnedByDigest;
  if (!imagePinned) {
    flags.push("unpinned-image");
    notes.push(
      model === undefined
        ? "the engine did not list the image"
        : isUnknown(model)
          ? model.explanation
          : `image ${cleanText(image, 120).text} is a tag, not a digest`,
    );
  }
  if (labels.problems.length > 0) {
    flags.push("invalid-label");
    notes.push(...labels.problems);
  }
  let imageSigned: boolean | undefined;
  if (options.imageSignatures !== undefined) {
    const found = options.imageSignatures.byResource.get(summary.id);
    imageSigned = found?.signed === true;
    if (!imageSigned) {
      flags.push("unsigned-image");
      notes.push(found?.message ?? "the image's signature was not looked up");
    }
  }
  const deployedAt =
    labels.deployedAt ??
    (summary.created !== undefined ? new Date(summary.created * 1000).toISOString() : undefined);
  return {
    name: cleanText(summary.name, 256).text,
    id: summary.id.slice(0, 12),
    state: cleanText(summary.state, 32).text,
    image: cleanText(image, 512).text,
    imagePinned,
    ...(imageSigned !== undefined ? { imageSigned } : {}),
    ...(labels.owner !== undefined ? { owner: labels.owner } : {}),
    ...(labels.purpose !== undefined ? { purpose: labels.purpose } : {}),
    ...(labels.deployedBy !== undefined ? { deployedBy: labels.deployedBy } : {}),
    ...(deployedAt !== undefined
      ? { deployedAt, deployedAtSource: labels.deployedAt !== undefined ? "label" : "engine" }
      : {}),
    ...(labels.expires !== undefined ? { expires: labels.expires } : {}),
    ...(left !== undefined ? { daysLeft: left } : {}),
    relaxations: labels.relaxations.map(({ names, ...r }) => ({
      ...r,
      rules: [...r.rules],
      ...(names !== undefined ? { names: [...names] } : {}),
    })),
    flags,
    notes,
  };
}

/** The inventory of the listed containers, sorted by name. */
export function buildInventory(
  summaries: readonly ContainerSummary[],
  options: InventoryOptions,
): InventoryReport {
  const containers = summaries
    .map((s) => inventoryEntry(s, options))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byFlag = Object.fromEntries(INVENTORY_FLAGS.map((f) => [f, 0])) as Record<
    InventoryFlag,
    number
  >;
  for (const c of containers) for (const f of c.flags) byFlag[f] += 1;
  return {
    tool: TOOL_NAME,
    version: toolVersion(),
    generatedAt: options.now.toISOString(),
    withinDays: options.withinDays,
    containers,
    summary: {
      containers: containers.length,
      flagged: containers.filter((c) => c.flags.length > 0).length,
      byFlag,
    },
  };
}

/** Shortens `repo@sha256:<64 hex>` and `sha256:<64 hex>` to 12 hex digits for the table. */
function shortImage(image: string): string {
  return image.replace(/sha256:([a-f0-9]{12})[a-f0-9]{52}/g, "sha256:$1");
}

function cell(value: string | undefined, width: number): string {
  const text = cleanText(value ?? "-", width).text;
  return text.padEnd(width);
}

const COLUMNS: readonly [string, number, (e: InventoryEntry) => string | undefined][] = [
  ["NAME", 22, (e) => e.name],
  ["STATE", 8, (e) => e.state],
  ["IMAGE", 52, (e) => shortImage(e.image)],
  ["OWNER", 14, (e) => e.owner],
  ["PURPOSE", 22, (e) => e.purpose],
  ["DEPLOYED-BY", 12, (e) => e.deployedBy],
  ["DEPLOYED-AT", 11, (e) => (e.deployedAt === undefined ? undefined : deployedDay(e))],
  ["EXPIRES", 10, (e) => e.expires],
  ["RELAXATIONS", 22, (e) => e.relaxations.map((r) => r.kind).join(",") || undefined],
];

function deployedDay(e: InventoryEntry): string {
  const text = e.deployedAt ?? "";
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0] ?? text;
  return e.deployedAtSource === "engine" ? `${day}*` : day;
}

/**
 * The inventory as a table: one row per container, the flags in the last column, then one
 * indented line per note of a flagged container and a summary line. Cells are cut to their
 * column and cleaned of control characters, so a hostile label cannot break the layout.
 */
export function renderInventoryTable(report: InventoryReport): string {
  const lines: string[] = [];
  lines.push([...COLUMNS.map(([title, width]) => title.padEnd(width)), "FLAGS"].join(" "));
  for (const entry of report.containers) {
    const row = COLUMNS.map(([, width, get]) => cell(get(entry), width));
    lines.push([...row, entry.flags.join(",") || "-"].join(" ").trimEnd());
    if (entry.flags.length > 0) {
      for (const note of entry.notes) lines.push(`    ${cleanText(note, 160).text}`);
    }
  }
  const { summary } = report;
  const counts = INVENTORY_FLAGS.filter((f) => summary.byFlag[f] > 0).map(
    (f) => `${summary.byFlag[f]} ${f}`,
  );
  lines.push("");
  lines.push(
    `${summary.containers} container${summary.containers === 1 ? "" : "s"}, ` +
      `${summary.flagged} flagged${counts.length > 0 ? ` (${counts.join(", ")})` : ""}; ` +
      `expiring = within ${report.withinDays} days of ${formatIsoDate(new Date(report.generatedAt))}` +
      (report.containers.some((c) => c.deployedAtSource === "engine")
        ? "; * = no deployed-at label, the engine's creation time"
        : ""),
  );
  return `${lines.join("\n")}\n`;
}
