import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import type { Volume } from "@cdktf/provider-docker/lib/volume";
import { replaceOnLabelChange } from "../audit/label-lifecycle";
import { TerraformDataResource } from "../construct/terraform-data";
import { workloadContextOf } from "../construct/workload-context";
import { toContainerImage } from "../image/container-image";
import { createDataVolumes, volumeObjectProblems } from "./data-volumes";
import { HardenedContainerProps } from "./hardened-container-props";
import { PidsLimitResource } from "./pids-limit-resource";
import { renderContainerConfig } from "./render-container";
import { resolveHardenedContainerProps } from "./resolve-props";
import { ResolvedContainerSpec } from "./resolved-spec";
import { refuseHostReachingVolumes } from "./volume-refusals";
import { watchStack } from "../checks/stack-watch";
import { Suppressions } from "../checks/suppressions";
import { requireProvenDockerProvider } from "../provider/provider-version";

/**
 * A Docker container locked down by default: every capability dropped, a seccomp allowlist,
 * no-new-privileges, a read-only root filesystem, a non-root user, memory/CPU/PIDs limits, an
 * image pinned by digest, a health check, rotated logs and audit labels. Every weakening is a
 * typed relaxation with a reason (see `Relax`).
 *
 * Synthesizes a `docker_container`, a `terraform_data` step that applies the PIDs limit
 * (`docker update --pids-limit`), since the provider has no attribute for it, and a
 * `terraform_data` that carries the labels, so a new deployer alone does not replace the
 * container.
 */
export class HardenedContainer extends Construct {
  /** The synthesized `docker_container`. */
  public readonly container: Container;
  /**
   * The step that verifies the image's cosign signature before the container is created (the
   * container depends on it); undefined when the image names no signing key.
   */
  public readonly imageSignatureStep: TerraformResource | undefined;
  /** The step that sets `HostConfig.PidsLimit` after each (re)creation of the container. */
  public readonly pidsLimitStep: PidsLimitResource;
  /**
   * Holds every label but `deployed-by`; a change to it replaces the container (see
   * `replaceOnLabelChange`), while a new deployer alone does not.
   */
  public readonly labelsTrigger: TerraformDataResource;
  /** The fully resolved configuration (every default applied). */
  public readonly spec: ResolvedContainerSpec;
  /**
   * The `docker_volume` of each entry of `volumes`, in order: the one the construct created, or
   * the provider Volume given. Set `lifecycle.preventDestroy` on one to keep `cdktf destroy`
   * from deleting its data.
   */
  public readonly volumes: readonly Volume[];

  constructor(scope: Construct, id: string, props: HardenedContainerProps) {
    super(scope, id);
    this.spec = resolveHardenedContainerProps(props, workloadContextOf(this));
    const created = createDataVolumes(this, this.spec.volumes, this.spec.labels);
    this.volumes = this.spec.volumes.map(
      (_, i) => created[i] ?? (props.volumes?.[i]?.volume as Volume),
    );
    const signatureStep = toContainerImage(props.image).signatureStep(this);
    this.container = new Container(this, "container", {
      ...renderContainerConfig(
        this.spec,
        this.volumes.map((v) => v.name),
      ),
      ...(signatureStep ? { dependsOn: [signatureStep] } : {}),
    });
    // A Volume is mutable after it was checked: its driver and options are checked again at
    // synth, and its name must still be the one the container mounts.
    this.node.addValidation({ validate: () => this.volumeProblemsAtSynth() });
    this.imageSignatureStep = signatureStep;
    requireProvenDockerProvider(this);
    this.labelsTrigger = replaceOnLabelChange(this, this.container, this.spec.labels);
    this.pidsLimitStep = new PidsLimitResource(
      this,
      "pids-limit",
      this.container.id,
      this.spec.pids,
    );
    // Each relaxation waives its rules only for the values it names (see lib/policy/subjects.ts).
    Suppressions.addForRelaxations(this, this.spec.relaxations);
    // What a named volume reaches is decided by resources written anywhere in the stack: judged
    // when the stack synthesizes.
    refuseHostReachingVolumes(this, this.container);
    watchStack(this);
  }

  private volumeProblemsAtSynth(): string[] {
    return this.volumes.flatMap((volume, i) => {
      const at = `volumes.${i} (${volume.node.path})`;
      const problems = volumeObjectProblems(volume).map((p) => `${at}: ${p.message}`);
      if (volume.nameInput !== this.spec.volumes[i].name) {
        problems.push(
          `${at}: the name changed from "${this.spec.volumes[i].name}" to "${volume.nameInput}" after the container was built: set it before`,
        );
      }
      return problems;
    });
  }

  /** The container's name on the host. */
  public get containerName(): string {
    return this.spec.name;
  }
}
