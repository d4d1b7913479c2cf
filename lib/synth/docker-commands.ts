/**
 * What a provisioner's shell text does with the `docker` CLI, as far as the PIDs limit goes. A
 * reader of shell cannot be complete, so it answers only what it understands and says "not
 * understood" for the rest: the text is cut at shell separators (`;`, `&&`, `||`, `|`, `&`,
 * newlines, `$(`, backticks, parentheses), quotes are dropped, and each piece that runs `docker`
 * (the word `docker` or any path ending in `/docker`, wherever it stands: after `sudo`, `env`,
 * `xargs`, ...) is read:
 *
 * - subcommands that cannot change a container's PIDs limit (`pull`, `login`, `ps`, `logs`,
 *   `network`, ...) are harmless;
 * - `docker update` / `docker container update` is read flag by flag: one that sets
 *   `--pids-limit` (or flags it cannot read) touches its targets, and a target that is not a
 *   literal (a shell variable, a Terraform expression other than a container's id or name, none
 *   at all as after `xargs`) may be any container;
 * - anything else that names a container (`docker rm -f web`, then `docker run --name web`) touches
 *   it, and a subcommand it does not know (`compose`, `stack`, a variable) touches every one.
 *
 * Text that reaches the engine's API without the CLI (`curl --unix-socket .../docker.sock`) touches
 * every container.
 */

/** What a text does to containers' PIDs limits. */
export interface DockerEffects {
  /** Why every container may be touched, when one is. */
  readonly all?: string;
  /** Container names or `docker_container` resource names the text touches, with why. */
  readonly touched: ReadonlyMap<string, string>;
}

/** Subcommands that cannot change a container's PIDs limit or replace the container. */
const HARMLESS: ReadonlySet<string> = new Set([
  "attach",
  "build",
  "builder",
  "buildx",
  "commit",
  "config",
  "cp",
  "diff",
  "events",
  "exec",
  "export",
  "history",
  "image",
  "images",
  "import",
  "info",
  "inspect",
  "kill",
  "load",
  "login",
  "logout",
  "logs",
  "manifest",
  "network",
  "pause",
  "port",
  "ps",
  "pull",
  "push",
  "restart",
  "save",
  "search",
  "secret",
  "start",
  "stats",
  "stop",
  "tag",
  "top",
  "trust",
  "unpause",
  "version",
  "volume",
  "wait",
]);

/** Global options of the docker CLI that take a value. */
const GLOBAL_WITH_VALUE: ReadonlySet<string> = new Set([
  "-H",
  "--host",
  "-c",
  "--context",
  "--config",
  "-l",
  "--log-level",
  "--tlscacert",
  "--tlscert",
  "--tlskey",
]);

/** Words that run the command after them (`sudo docker ...`, `sh -c "docker ..."`). */
const WRAPPERS: ReadonlySet<string> = new Set([
  "sudo",
  "doas",
  "su",
  "env",
  "xargs",
  "command",
  "exec",
  "eval",
  "nohup",
  "time",
  "timeout",
  "nice",
  "ionice",
  "setsid",
  "stdbuf",
  "watch",
  "sh",
  "bash",
  "dash",
  "zsh",
  "ash",
  "ksh",
  "busybox",
]);

/**
 * Whether `docker` at `at` runs: first in its piece, or after wrappers, their options and
 * arguments that look like options' values (`timeout 10`, `env A=b`, `sudo -u root`). `echo docker`
 * and `grep docker` only print or search the word.
 */
function runsAt(words: readonly string[], at: number): boolean {
  let wrapped = at === 0;
  for (const word of words.slice(0, at)) {
    const base = word.slice(word.lastIndexOf("/") + 1);
    if (WRAPPERS.has(base)) wrapped = true;
    else if (!wrapped && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return false;
    else if (!(
      word.startsWith("-") ||
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) ||
      /^[\w.:-]+$/.test(word)
    )) {
      return false;
    }
  }
  return true;
}

const SEPARATORS_RE = /;|&&|\|\||\||&|\n|\$\(|`|\(|\)/;
const CONTAINER_REF_RE = /^\$\{docker_container\.([A-Za-z0-9_-]+)\.(id|name)\}$/;

function isDocker(word: string): boolean {
  return word === "docker" || word.endsWith("/docker");
}

/** The effects of one shell text (a `command`, an `inline` line, an environment value). */
export function dockerEffects(text: string): DockerEffects {
  const touched = new Map<string, string>();
  let all: string | undefined;
  const cleaned = text.replace(/["'\\]/g, "");
  if (/docker\.sock|containerd\.sock|\/containers\/[^\s]*\/update/.test(cleaned)) {
    all = "it calls the engine's API directly";
  }
  for (const piece of cleaned.split(SEPARATORS_RE)) {
    const words = piece
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    const at = words.findIndex((word, i) => isDocker(word) && runsAt(words, i));
    if (at < 0) continue;
    let i = at + 1;
    while (i < words.length && (words[i] as string).startsWith("-")) {
      const flag = words[i] as string;
      i += GLOBAL_WITH_VALUE.has(flag) ? 2 : 1;
    }
    let sub = words[i];
    if (sub === "container") sub = words[++i];
    const args = words.slice(i + 1);
    const shown = piece.trim().slice(0, 160);
    if (sub === undefined) {
      all ??= `it runs docker without a subcommand it can read ("${shown}")`;
      continue;
    }
    if (HARMLESS.has(sub)) continue;
    if (sub === "update") {
      readUpdate(args, shown, touched, (why) => (all ??= why));
      continue;
    }
    if (!["rm", "run", "create", "rename"].includes(sub)) {
      all ??= `it runs "docker ${sub.slice(0, 40)}", which this audit does not read ("${shown}")`;
      continue;
    }
    for (const arg of args) {
      if (arg.startsWith("-")) continue;
      const target = targetOf(arg);
      if (target === undefined)
        all ??= `it runs "docker ${sub}" on ${arg.slice(0, 60)}, only known when it runs ("${shown}")`;
      else touched.set(target, `it runs "${shown}"`);
    }
  }
  return { ...(all !== undefined ? { all } : {}), touched };
}

/** A literal container name or a container reference's resource name; undefined when unknown. */
function targetOf(word: string): string | undefined {
  const ref = CONTAINER_REF_RE.exec(word);
  if (ref) return ref[1];
  if (word.includes("$") || word.includes("{") || word.includes("*")) return undefined;
  return word.replace(/^name=/, "");
}

function readUpdate(
  args: readonly string[],
  shown: string,
  touched: Map<string, string>,
  touchAll: (why: string) => void,
): void {
  let pids = false;
  let unread = false;
  const targets: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg.startsWith("--pids-limit")) pids = true;
    if (arg.startsWith("-")) {
      if (arg.includes("$")) unread = true;
      if (!arg.includes("=")) i += 1; // every flag of docker update takes a value
      continue;
    }
    targets.push(arg);
  }
  if (!pids && !unread) return;
  const why = `it runs "${shown}"`;
  const known = targets.map(targetOf);
  if (targets.length === 0 || known.some((t) => t === undefined)) {
    touchAll(`${why}, on containers only known when it runs`);
    return;
  }
  for (const target of known) touched.set(target as string, why);
}
