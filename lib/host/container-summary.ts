import { describeValue, isRecord } from "../synth/terraform-values";

/**
 * One entry of the Engine's container list (`GET /containers/json`), read defensively: an
 * engine, a proxy or a test fake may answer with anything, and a container whose entry cannot be
 * read must still show up in every report (never silently left out).
 */
export interface ContainerSummary {
  /** Full container ID; empty when the list entry had none (then it cannot be inspected). */
  readonly id: string;
  /** The name without its leading slash, else the first 12 characters of the ID. */
  readonly name: string;
  /** The report's resource for this container: `container:/<name>`. */
  readonly resource: string;
  /** Labels as the engine lists them (the image's labels included); non-text values dropped. */
  readonly labels: Readonly<Record<string, string>>;
  /** `running`, `exited`, `created`, ... or `unknown`. */
  readonly state: string;
  /** The image reference the container was created with (`Config.Image`), or "". */
  readonly image: string;
  /** The image ID (`sha256:...`), or "". */
  readonly imageId: string;
  /** Creation time (seconds since the epoch), when listed. */
  readonly created?: number;
  /** What could not be read from the entry (each one line). */
  readonly problems: readonly string[];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads one list entry; never throws. `index` names the entry when it has no name or ID. */
export function readContainerSummary(entry: unknown, index: number): ContainerSummary {
  const problems: string[] = [];
  if (!isRecord(entry)) {
    return {
      id: "",
      name: `(list entry ${index})`,
      resource: `container:(list entry ${index})`,
      labels: {},
      state: "unknown",
      image: "",
      imageId: "",
      problems: [`the engine listed ${describeValue(entry)} instead of a container`],
    };
  }
  const id = text(entry.Id) ?? "";
  if (id === "") {
    problems.push(
      `the list entry has no container ID (Id is ${entry.Id === undefined ? "missing" : describeValue(entry.Id)})`,
    );
  }
  const names = Array.isArray(entry.Names) ? entry.Names.filter((n) => typeof n === "string") : [];
  // A container linked from others is also listed under `/<other>/<alias>`; its own name has one slash.
  const own = names.find((n) => /^\/[^/]+$/.test(n)) ?? names[0];
  const name =
    own !== undefined
      ? own.replace(/^\//, "")
      : id !== ""
        ? id.slice(0, 12)
        : `(list entry ${index})`;
  const labels: Record<string, string> = {};
  if (entry.Labels !== undefined && entry.Labels !== null) {
    if (isRecord(entry.Labels)) {
      for (const [key, value] of Object.entries(entry.Labels)) {
        if (typeof value === "string") labels[key] = value;
        else problems.push(`label ${JSON.stringify(key)} is ${describeValue(value)}, not text`);
      }
    } else {
      problems.push(`Labels is ${describeValue(entry.Labels)}, not a map`);
    }
  }
  const created =
    typeof entry.Created === "number" && Number.isFinite(entry.Created) ? entry.Created : undefined;
  return {
    id,
    name,
    resource: id === "" && own === undefined ? `container:${name}` : `container:/${name}`,
    labels,
    state: text(entry.State) ?? "unknown",
    image: text(entry.Image) ?? "",
    imageId: text(entry.ImageID) ?? "",
    ...(created !== undefined ? { created } : {}),
    problems,
  };
}
