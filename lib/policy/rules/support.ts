import { ContainerModel, HealthcheckModel } from "../model";
import { Level, Rule, Verdict } from "../rule";
import { Subject, SubjectKind, subjectsOf } from "../subjects";
import { Maybe, Unknown, isUnknown } from "../unknown";

/** Small helpers shared by the rules: verdict builders and checks used by more than one rule. */

export function pass(message: string): Verdict {
  return { status: "pass", message };
}

export function fail(message: string): Verdict {
  return { status: "fail", message };
}

/**
 * A failure about `values` of one kind (capabilities, ports, syscalls, paths): a relaxation
 * waives it only if it names every one of them.
 */
export function failAbout(
  message: string,
  kind: SubjectKind,
  values: readonly string[],
  more: readonly Subject[] = [],
): Verdict {
  return { status: "fail", message, subjects: [...subjectsOf(kind, values), ...more] };
}

export function notApplicable(message: string): Verdict {
  return { status: "not-applicable", message };
}

/** The verdict for a model field that is not known: `unknown`, with the field's explanation. */
export function unknown(value: Unknown): Verdict {
  return { status: "unknown", message: value.explanation };
}

/** `NET_ADMIN`, `net_admin` and `CAP_NET_ADMIN` name the same capability. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** Quotes and joins values for a message: `"a", "b"`. */
export function quoted(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/**
 * The health-check verdict shared by CIS 4.6 and 5.27: a check exists and is not `["NONE"]`.
 * For synthesized input only the container's own check is visible; a live container's
 * `Config.Healthcheck` also holds the image's.
 */
export function healthcheckVerdict(
  container: ContainerModel,
  health: Maybe<HealthcheckModel | undefined>,
): Verdict {
  if (isUnknown(health)) return unknown(health);
  const where =
    container.source === "terraform"
      ? "in the configuration (an image HEALTHCHECK cannot be seen before deployment)"
      : container.source === "service-spec"
        ? "in the service spec (an image HEALTHCHECK is not part of it)"
        : "in the container's configuration or its image";
  if (health === undefined || health.test.length === 0) return fail(`no health check ${where}`);
  if (health.test[0].toUpperCase() === "NONE") {
    return fail('the health check is disabled (test is ["NONE"])');
  }
  return pass(`health check: ${health.test.join(" ")}`.slice(0, 200));
}

/** A rule that fails when a namespace mode is `host` (CIS 5.10, 5.16, 5.17, 5.21, 5.31). */
export function hostNamespaceRule(options: {
  id: string;
  title: string;
  namespace: string;
  attribute: string;
  read: (container: ContainerModel) => Maybe<string>;
  rationale: string;
  blindSpots?: string;
  level?: Level;
  /** Modes other than `host` that fail too, with what they open. */
  failModes?: Readonly<Record<string, string>>;
}): Rule {
  return {
    id: options.id,
    title: options.title,
    level: options.level ?? "error",
    rationale: options.rationale,
    ...(options.blindSpots !== undefined ? { blindSpots: options.blindSpots } : {}),
    remediation:
      `Remove \`${options.attribute}\` ("host") from the container. HardenedContainer never ` +
      `shares a host namespace and offers no relaxation for it.`,
    check: (container) => {
      const mode = options.read(container);
      if (isUnknown(mode)) return unknown(mode);
      if (mode.toLowerCase() === "host") {
        return fail(
          `${options.attribute} is "host": the container shares the host's ${options.namespace} namespace`,
        );
      }
      const opens = options.failModes?.[mode.toLowerCase()];
      if (opens !== undefined) {
        return fail(`${options.attribute} is ${JSON.stringify(mode)}: ${opens}`);
      }
      if (mode.toLowerCase().startsWith("container:")) {
        return {
          status: "unknown",
          message: `${options.attribute} is ${JSON.stringify(mode)}: the container joins the ${options.namespace} namespace of another container, whose own configuration decides whether it is the host's`,
        };
      }
      return pass(
        mode === ""
          ? `${options.attribute} is not set: the container has its own ${options.namespace} namespace`
          : `${options.attribute} is ${JSON.stringify(mode)}, not "host"`,
      );
    },
  };
}
