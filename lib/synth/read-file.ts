import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "fs";
import { relative, isAbsolute, sep } from "path";
import { SynthInputError } from "./synth-input-error";

/**
 * Reading input files safely: only regular files (a FIFO, a character device or a pipe on stdin
 * would block the reader or stream without end), opened without blocking, and read with a size
 * bound so an input cannot grow the process to gigabytes.
 */

/**
 * The largest Terraform file read: 32 MiB. A synthesized stack of 1,000 hardened containers is
 * about 11 MiB (the seccomp profile is inline); a file many times that is not a stack someone reviews, and parsing it would take
 * seconds and hundreds of MiB.
 */
export const MAX_INPUT_FILE_BYTES = 32 * 1024 * 1024;

/** The most read over all files of one input (a cdktf.out with many stacks): 128 MiB. */
export const MAX_INPUT_TOTAL_BYTES = 128 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}

/** Counts what one input has read so far, against {@link MAX_INPUT_TOTAL_BYTES}. */
export class ReadBudget {
  private used = 0;
  constructor(private readonly limit: number = MAX_INPUT_TOTAL_BYTES) {}
  take(file: string, bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new SynthInputError(
        `${file}: the input's files add up to more than ${mib(this.limit)} (the limit over all stacks): audit the stacks separately`,
      );
    }
  }
}

/**
 * The text of a regular file of at most `maxBytes`, or a {@link SynthInputError} saying why not.
 * Opens with O_NONBLOCK so a FIFO without a writer does not hang the open, checks the opened file
 * (not the path, which could change in between) and reads at most `maxBytes + 1` bytes.
 */
export function readBoundedFile(
  file: string,
  what: string,
  budget?: ReadBudget,
  maxBytes: number = MAX_INPUT_FILE_BYTES,
): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SynthInputError(`${file}: cannot read ${what} (${code}): check the path`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isFIFO()
        ? "a pipe (FIFO)"
        : stat.isCharacterDevice()
          ? "a character device"
          : stat.isBlockDevice()
            ? "a block device"
            : stat.isSocket()
              ? "a socket"
              : stat.isDirectory()
                ? "a folder"
                : "not a regular file";
      throw new SynthInputError(
        `${file}: ${what} is ${kind}, not a regular file: write the configuration to a file and pass its path`,
      );
    }
    if (stat.size > maxBytes) {
      throw new SynthInputError(
        `${file}: ${what} is ${mib(stat.size)}, more than the ${mib(maxBytes)} a Terraform file may have here: pass the cdk.tf.json of one stack or a cdktf.out folder`,
      );
    }
    budget?.take(file, stat.size);
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > stat.size) {
      throw new SynthInputError(
        `${file}: ${what} grew while being read: pass a file that is not being written`,
      );
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * `candidate` resolved (symbolic links followed) when it lies inside `folder` (also resolved),
 * else a {@link SynthInputError}: a manifest must not send the reader to files outside the
 * folder it was given.
 */
export function insideFolder(folder: string, candidate: string, what: string): string {
  let realFolder: string;
  let real: string;
  try {
    realFolder = realpathSync(folder);
    real = realpathSync(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new SynthInputError(
      `${candidate}: cannot read ${what} (${code}): run \`cdktf synth\` again`,
    );
  }
  const rel = relative(realFolder, real);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new SynthInputError(
      `${candidate}: ${what} lies outside ${folder}: a cdktf manifest names files inside its own folder; run \`cdktf synth\` again`,
    );
  }
  return real;
}
