import { Token } from "cdktf";
import { encodeRelaxationLabels } from "../policy/waiver-codec";
import { secretLikeEnv } from "../policy/facts/secret-like";
import { AuditProps } from "../audit/audit-props";
import { Clock, systemClock } from "../audit/clock";
import { resolveAuditLabels } from "../audit/resolve-audit-labels";
import { ContainerImage, toContainerImage } from "../image/container-image";
import { REQUIRE_SIGNED_IMAGES_CONTEXT } from "../image/signed-images-context";
import { repositoryIsTrusted } from "../policy/facts/image-reference";
import { ValidationProblem } from "../validation/validation-error";
import { DEFAULTS, MAX_PRIVILEGED_PORT } from "../policy/facts/defaults";
import { HealthcheckProps } from "./hardened-container-props";
import { DEFAULT_ROOT_USER, Relaxation, RelaxationKind } from "../policy/relaxations";

/** What a construct knows besides its props. */
export interface ResolveContext {
  readonly constructPath: string;
  /** Name used when `props.name` is not given. */
  readonly defaultName: string;
  /** From the `hardened-docker:trustedRegistries` context, when set. */
  readonly contextTrustedRegistries?: readonly string[];
  /** From the `hardened-docker:requireSignedImages` context: every image must name its signers. */
  readonly contextRequireSignedImages?: boolean;
  /** Environment for `deployedBy` @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The props HardenedContainer and HardenedService share, as parsed by their schemas. `image` and
 * `audit` are absent only when the schema refused them: that problem is reported, and the spec
 * resolved without them is never used (see validateInOnePass).
 */
export interface WorkloadProps {
  readonly image?: string | ContainerImage;
  readonly audit?: AuditProps;
  readonly user?: string;
  readonly healthcheck?: HealthcheckProps;
  readonly labels?: Readonly<Record<string, string>>;
  readonly relaxations?: readonly Relaxation[];
  readonly trustedRegistries?: readonly string[];
  readonly clock?: Clock;
}

/**
 * A resolved health check. Durations stay whole seconds here: `docker_container` and
 * `docker_service` need them spelled differently (see render-healthcheck.ts).
 */
export interface ResolvedHealthcheck {
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly startPeriodSeconds: number;
  readonly retries: number;
}

/**
 * What resolving HardenedContainer and HardenedService props have in common: problems are
 * collected (never thrown one by one), relaxations are indexed and each must relax something,
 * and the image, the user, the health check and the labels follow one set of rules.
 */
export abstract class WorkloadResolver<P extends WorkloadProps> {
  public readonly problems: ValidationProblem[] = [];
  protected readonly relaxations: { [K in RelaxationKind]?: Extract<Relaxation, { kind: K }> } = {};
  protected readonly used = new Set<RelaxationKind>();
  protected readonly clock: Clock;

  constructor(
    protected readonly props: P,
    protected readonly context: ResolveContext,
    /** `container` or `service`, for messages. */
    protected readonly subject: string,
  ) {
    this.clock = props.clock ?? systemClock;
    (props.relaxations ?? []).forEach((r, i) => {
      if (this.relaxations[r.kind]) {
        this.problem(
          `relaxations.${i}`,
          r.kind,
          `"${r.kind}" is given twice: merge the two into one entry`,
        );
      }
      (this.relaxations as Record<string, Relaxation>)[r.kind] = r as Relaxation;
    });
  }

  protected problem(field: string, value: unknown, message: string): void {
    this.problems.push({ constructPath: this.context.constructPath, field, value, message });
  }

  /**
   * Refuses environment variables that look like secrets (the one test in
   * `policy/facts/secret-like.ts`, which HD-SECRET-ENV applies too), their values hidden.
   * `fix` says where the secret goes instead.
   */
  protected checkSecretEnv(env: Readonly<Record<string, string>>, fix: string): void {
    for (const [name, value] of Object.entries(env)) {
      const why = Token.isUnresolved(name) ? undefined : secretLikeEnv(name, value);
      if (why === undefined) continue;
      this.problem(
        `env.${name}`,
        value.length > 0 ? "(value hidden)" : value,
        `looks like a secret (${why}): environment variables show in \`docker inspect\` and every process listing (CIS 7.4); ${fix}`,
      );
    }
  }

  protected relaxation<K extends RelaxationKind>(
    kind: K,
  ): Extract<Relaxation, { kind: K }> | undefined {
    const r = this.relaxations[kind] as Extract<Relaxation, { kind: K }> | undefined;
    if (r) this.used.add(kind);
    return r;
  }

  protected resolveImage(): string {
    if (this.props.image === undefined) return ""; // refused by the schema, already reported
    const image = toContainerImage(this.props.image);
    if (this.context.contextRequireSignedImages && image.trustedKeys.length === 0) {
      this.problem(
        "image",
        image.source,
        `names no signing key, and the ${REQUIRE_SIGNED_IMAGES_CONTEXT} context requires signed images: ` +
          `write ContainerImage.pinned("${image.source}", { signedBy: [cosignPublicKeyPem] }) ` +
          "(or fromRegistryTag(..., { signedBy })) with the content of the signer's cosign.pub",
      );
    }
    if (!Token.isUnresolved(image.containerImage)) {
      const problem = image.pinningProblem();
      if (problem) this.problem("image", image.source, problem);
    }
    const allowlist = this.props.trustedRegistries ?? this.context.contextTrustedRegistries;
    if (
      allowlist &&
      image.repository !== undefined &&
      !repositoryIsTrusted(image.repository, allowlist)
    ) {
      if (!this.relaxation("untrustedRegistry")) {
        this.problem(
          "image",
          image.source,
          `repository ${image.repository} is not in the trusted registries (${allowlist.join(", ")}) (CIS 4.2): ` +
            "use an image from a trusted registry, add it to trustedRegistries, or Relax.untrustedRegistry(reason)",
        );
      }
    }
    return image.containerImage;
  }

  protected resolveUser(): string {
    const root = this.relaxation("runAsRoot");
    const given = this.props.user;
    if (root) {
      const user = root.user ?? given ?? DEFAULT_ROOT_USER;
      // The relaxation names the user the container really runs as (its label and waiver do).
      this.relaxations.runAsRoot = { ...root, user };
      if (given !== undefined && root.user !== undefined && given !== root.user) {
        this.problem(
          "user",
          given,
          `conflicts with Relax.runAsRoot user "${root.user}": give the user in one place`,
        );
      }
      return user;
    }
    const user = given ?? DEFAULTS.user;
    if (Token.isUnresolved(user)) return user;
    const match = /^(\d+)(?::(\d+))?$/.exec(user);
    if (!match) {
      this.problem(
        "user",
        user,
        'must be a numeric "uid:gid" such as "10001:10001" (a user name resolves inside the image and may be root, CIS 4.1); ' +
          "to run as a named or root user, use Relax.runAsRoot(reason, user)",
      );
    } else if (Number(match[1]) === 0 || (match[2] !== undefined && Number(match[2]) === 0)) {
      this.problem(
        "user",
        user,
        "runs as root (UID or GID 0, CIS 4.1): use a non-root uid:gid, or Relax.runAsRoot(reason)",
      );
    }
    return user;
  }

  protected resolveHealthcheck(): ResolvedHealthcheck | undefined {
    const hc = this.props.healthcheck;
    const waived = this.relaxation("noHealthcheck");
    if (hc && waived) {
      this.problem(
        "healthcheck",
        hc.test,
        "is given together with Relax.noHealthcheck: keep the health check and drop the relaxation",
      );
    }
    if (!hc) {
      if (!waived) {
        this.problem(
          "healthcheck",
          undefined,
          'a health check is required (CIS 5.27, 4.6): give healthcheck: { test: ["CMD", "/bin/healthcheck"] }, or Relax.noHealthcheck(reason)',
        );
      }
      return undefined;
    }
    const d = DEFAULTS.healthcheck;
    return {
      test: hc.test,
      intervalSeconds: hc.intervalSeconds ?? d.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds ?? d.timeoutSeconds,
      startPeriodSeconds: hc.startPeriodSeconds ?? d.startPeriodSeconds,
      retries: hc.retries ?? d.retries,
    };
  }

  /** User labels, audit labels, `extra`, and one label per relaxation (its reason, waived rules, detail). */
  protected resolveLabels(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const labels = resolveAuditLabels(this.props.audit, this.props.labels, {
      constructPath: this.context.constructPath,
      clock: this.clock,
      subject: this.subject,
      env: this.context.env,
      problem: (field, value, message) => this.problem(field, value, message),
    });
    Object.assign(labels, extra);
    Object.assign(labels, encodeRelaxationLabels(this.effectiveRelaxations()));
    return labels;
  }

  /**
   * The relaxations as they apply, in the order given: paths normalized as the mounts are, and
   * `runAsRoot` naming the user the container runs as. Labels and waivers are written from
   * these, so they name exactly what the rendered configuration holds.
   */
  protected effectiveRelaxations(): Relaxation[] {
    return (this.props.relaxations ?? []).map((given): Relaxation => {
      const r = (this.relaxations[given.kind] as Relaxation | undefined) ?? given;
      switch (r.kind) {
        case "writableBindMount":
          return { ...r, targets: [...new Set(r.targets.map(normalizePath))] };
        case "executableTmpfs":
          return { ...r, paths: [...new Set(r.paths.map(normalizePath))] };
        default:
          return r;
      }
    });
  }

  /**
   * CIS 5.8: a published port at or below 1024 needs a `Relax.privilegedPorts` that names it.
   * `noun` is how the subject's messages call the port ("host port", "port").
   */
  protected checkPrivilegedPort(field: string, port: number, noun: string): void {
    if (port > MAX_PRIVILEGED_PORT) return;
    if (this.relaxations.privilegedPorts?.hostPorts.includes(port)) {
      this.used.add("privilegedPorts");
      return;
    }
    this.problem(
      field,
      port,
      `${noun} ${port} is privileged (1024 or below, CIS 5.8): use a port above 1024, or Relax.privilegedPorts([${port}], reason)`,
    );
  }

  /** Every port a `privilegedPorts` relaxation names must be published: no phantom exceptions. */
  protected checkPrivilegedPortsPublished(published: readonly (number | undefined)[]): void {
    for (const hp of this.relaxations.privilegedPorts?.hostPorts ?? []) {
      if (!published.includes(hp)) {
        this.problem(
          "relaxations.privilegedPorts.hostPorts",
          hp,
          `port ${hp} is not published: remove it from the relaxation`,
        );
      }
    }
  }

  /**
   * A network named `host` (in any case, with stray spaces) is the host's network stack, which
   * no relaxation allows (CIS 5.10). Returns true when `name` was refused.
   */
  protected refuseHostNetwork(field: string, name: string): boolean {
    if (Token.isUnresolved(name) || name.trim().toLowerCase() !== "host") return false;
    this.problem(
      field,
      name,
      `joins the host's network stack (CIS 5.10), which no relaxation allows: give a HardenedNetwork, or the name of a user-defined network`,
    );
    return true;
  }

  protected checkUnusedRelaxations(): void {
    for (const kind of Object.keys(this.relaxations) as RelaxationKind[]) {
      if (!this.used.has(kind)) {
        this.problem(
          "relaxations",
          kind,
          `"${kind}" relaxes nothing in this configuration: remove it, so every recorded exception is a real one`,
        );
      }
    }
  }
}

/** `//a//b/` -> `/a/b`. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
  return trimmed === "" ? "/" : trimmed;
}
