/** The names of `/info`'s `SecurityOptions` entries (`name=userns`, `name=seccomp,profile=default`). */
export function securityOptionNames(options: readonly string[]): string[] {
  return options.map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? "");
}

/** The value of `key` in the `SecurityOptions` entry named `name` (`profile` of `seccomp`). */
export function securityOptionValue(
  options: readonly string[],
  name: string,
  key: string,
): string | undefined {
  for (const option of options) {
    const fields = new Map(
      option.split(",").map((pair) => {
        const at = pair.indexOf("=");
        return at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
    if (fields.get("name") === name) return fields.get(key);
  }
  return undefined;
}
