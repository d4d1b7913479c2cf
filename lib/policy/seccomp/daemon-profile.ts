import { decodeGoJson, GoType, GoValue } from "../go-json";

/**
 * A seccomp profile read the way the Docker 20.10 daemon reads it: `json.Unmarshal` into its
 * `profiles/seccomp` struct (below, field for field with the json tags the daemon has; checked
 * against the tags in the engine's binary), then the checks of its `setupSeccomp`. The Go oracle
 * in `test/seccomp/go-oracle/` decodes the same struct with Go itself, and a differential test
 * compares the two over generated spellings.
 */

const STRING: GoType = { kind: "string" };
const UINT: GoType = { kind: "uint" };
const STRINGS: GoType = { kind: "slice", elem: STRING };
const FILTER: GoType = {
  kind: "struct",
  fields: [
    ["caps", STRINGS],
    ["arches", STRINGS],
    ["minKernel", STRING],
  ],
};

/** The daemon's `Seccomp` struct (Docker 20.10 `profiles/seccomp/seccomp.go`). */
export const DAEMON_SECCOMP_TYPE: GoType = {
  kind: "struct",
  fields: [
    ["defaultAction", STRING],
    ["defaultErrnoRet", { kind: "pointer", elem: UINT }],
    ["architectures", STRINGS],
    [
      "archMap",
      {
        kind: "slice",
        elem: {
          kind: "struct",
          fields: [
            ["architecture", STRING],
            ["subArchitectures", STRINGS],
          ],
        },
      },
    ],
    [
      "syscalls",
      {
        kind: "slice",
        elem: {
          kind: "pointer",
          elem: {
            kind: "struct",
            fields: [
              ["name", STRING],
              ["names", STRINGS],
              ["action", STRING],
              ["errnoRet", { kind: "pointer", elem: UINT }],
              [
                "args",
                {
                  kind: "slice",
                  elem: {
                    kind: "pointer",
                    elem: {
                      kind: "struct",
                      fields: [
                        ["index", UINT],
                        ["value", UINT],
                        ["valueTwo", UINT],
                        ["op", STRING],
                      ],
                    },
                  },
                },
              ],
              ["comment", STRING],
              ["includes", FILTER],
              ["excludes", FILTER],
            ],
          },
        },
      },
    ],
  ],
};

/** What the daemon makes of a profile's text. */
export type DaemonProfileReading =
  /** A profile it loads, as a plain object in the library's profile format (to be validated). */
  | { readonly kind: "profile"; readonly profile: Record<string, unknown> }
  /** No default action and no syscall rule: the daemon runs the container without seccomp. */
  | { readonly kind: "disabled" }
  /** The daemon refuses it (the container does not start), or this reader cannot tell: why. */
  | { readonly kind: "refused" | "ambiguous"; readonly problems: readonly string[] };

type Fields = { readonly [field: string]: GoValue };

const fieldsOf = (value: GoValue): Fields => value as Fields;
const list = (value: GoValue): readonly GoValue[] | null => value as GoValue[] | null;

function safeNumber(value: GoValue, at: string, problems: string[]): number {
  const n = value as bigint;
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    problems.push(
      `${at}: ${n} is beyond 2^53 and cannot be judged exactly: write it as the number it stands for, or leave the rule out`,
    );
  }
  return Number(n);
}

function filterOf(value: GoValue): Record<string, unknown> {
  const f = fieldsOf(value);
  const out: Record<string, unknown> = {};
  if (list(f.arches) !== null) out.arches = list(f.arches);
  if (list(f.caps) !== null) out.caps = list(f.caps);
  if (f.minKernel !== "") out.minKernel = f.minKernel;
  return out;
}

/**
 * Reads a profile's JSON text as the daemon does. Every reader of a profile (the constructs'
 * `SeccompProfile.fromJson`, the rules on synthesized stacks and on live containers) goes
 * through here.
 */
export function readDaemonProfile(text: string): DaemonProfileReading {
  const decoded = decodeGoJson(text, DAEMON_SECCOMP_TYPE);
  if (!decoded.ok) {
    return {
      kind: decoded.ambiguous ? "ambiguous" : "refused",
      problems: [
        decoded.ambiguous
          ? `${decoded.error}; this audit does not guess the merge: give each key once`
          : decoded.notJson
            ? decoded.error
            : `the Docker daemon cannot decode it (${decoded.error}), so the container does not start`,
      ],
    };
  }
  const top = fieldsOf(decoded.value);
  const syscalls = list(top.syscalls);
  if (top.defaultAction === "" && (syscalls === null || syscalls.length === 0)) {
    return { kind: "disabled" };
  }
  const problems: string[] = [];
  const architectures = list(top.architectures);
  const archMap = list(top.archMap);
  if ((architectures?.length ?? 0) > 0 && (archMap?.length ?? 0) > 0) {
    problems.push(
      "both architectures and archMap are given, which the daemon refuses: keep archMap",
    );
  }
  const profile: Record<string, unknown> = { defaultAction: top.defaultAction };
  if (top.defaultErrnoRet !== null) {
    profile.defaultErrnoRet = safeNumber(top.defaultErrnoRet, "defaultErrnoRet", problems);
  }
  if (architectures !== null) profile.architectures = architectures;
  if (archMap !== null) {
    profile.archMap = archMap.map((entry) => {
      const e = fieldsOf(entry);
      return { architecture: e.architecture, subArchitectures: list(e.subArchitectures) };
    });
  }
  if (syscalls === null)
    return problems.length > 0 ? { kind: "refused", problems } : { kind: "profile", profile };
  profile.syscalls = syscalls.map((entry, i) => {
    if (entry === null) {
      problems.push(`syscalls[${i}] is null, which the daemon cannot load`);
      return {};
    }
    const call = fieldsOf(entry);
    const rule: Record<string, unknown> = { action: call.action };
    if (call.name !== "") rule.name = call.name;
    if (list(call.names) !== null) rule.names = list(call.names);
    if (call.errnoRet !== null) {
      rule.errnoRet = safeNumber(call.errnoRet, `syscalls[${i}].errnoRet`, problems);
    }
    const args = list(call.args);
    if (args !== null) {
      rule.args = args.map((arg, j) => {
        const at = `syscalls[${i}].args[${j}]`;
        if (arg === null) {
          problems.push(`${at} is null, which the daemon cannot load`);
          return {};
        }
        const a = fieldsOf(arg);
        const valueTwo = safeNumber(a.valueTwo, `${at}.valueTwo`, problems);
        return {
          index: safeNumber(a.index, `${at}.index`, problems),
          value: safeNumber(a.value, `${at}.value`, problems),
          // Zero is Go's "not given"; kept where it is an operand (MASKED_EQ), as profiles write it.
          ...(valueTwo !== 0 || a.op === "SCMP_CMP_MASKED_EQ" ? { valueTwo } : {}),
          op: a.op,
        };
      });
    }
    if (call.comment !== "") rule.comment = call.comment;
    for (const key of ["includes", "excludes"] as const) {
      const f = filterOf(call[key]);
      if (Object.keys(f).length > 0) rule[key] = f;
    }
    return rule;
  });
  if (problems.length > 0) return { kind: "refused", problems };
  return { kind: "profile", profile };
}
