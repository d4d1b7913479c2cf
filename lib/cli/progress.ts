import { TextSink } from "./output";

/**
 * Above this many containers a terminal shows a progress line while they are inspected: "a few
 * dozen" take well under a second, more than that may take long enough to look stuck.
 */
export const PROGRESS_THRESHOLD = 36;

/** Counts work done; {@link createProgress} decides whether anything is shown. */
export interface Progress {
  /** One more container done. */
  tick(): void;
  /** Clears the line (call once, also after a failure). */
  done(): void;
}

/** A sink that may be a terminal (`process.stderr` is one when `isTTY` is true). */
export type MaybeTerminal = TextSink & { readonly isTTY?: boolean };

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** What is counted, e.g. `inspecting containers`. */
  readonly label: string;
  /** @default PROGRESS_THRESHOLD */
  readonly threshold?: number;
  /**
   * Minimum time between redraws, so a fast run does not spend its time drawing.
   * @default 100 ms
   */
  readonly intervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const SILENT: Progress = { tick: () => undefined, done: () => undefined };

/**
 * A progress line (`inspecting containers 37/200`) redrawn in place on `sink`, shown only when
 * `sink` is a terminal and `total` exceeds the threshold; otherwise a silent counter. Reports,
 * pipes and log files never receive progress text.
 */
export function createProgress(
  sink: MaybeTerminal,
  total: number,
  options: ProgressOptions,
): Progress {
  const threshold = options.threshold ?? PROGRESS_THRESHOLD;
  if (sink.isTTY !== true || total <= threshold) return SILENT;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let count = 0;
  let drawnAt = -Infinity;
  let shown = false;
  const draw = (): void => {
    sink.write(`\r${options.label} ${count}/${total}`);
    shown = true;
    drawnAt = now();
  };
  return {
    tick: () => {
      count += 1;
      if (count === total || now() - drawnAt >= interval) draw();
    },
    done: () => {
      // Erase the line so the report (or an error) starts on a clean line.
      if (shown) sink.write("\r\u001b[2K");
      shown = false;
    },
  };
}
