import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { Service } from "@cdktf/provider-docker/lib/service";
import { replaceOnLabelChange } from "../audit/label-lifecycle";
import { TerraformDataResource } from "../construct/terraform-data";
import { workloadContextOf } from "../construct/workload-context";
import { toContainerImage } from "../image/container-image";
import { watchStack } from "../checks/stack-watch";
import { Suppressions } from "../checks/suppressions";
import { HardenedServiceProps } from "./hardened-service-props";
import { renderServiceConfig } from "./render-service";
import { resolveHardenedServiceProps } from "./resolve-service";
import { ResolvedServiceSpec } from "./resolved-service-spec";
import { dockerProviderVersionOf, requireProvenDockerProvider } from "../provider/provider-version";

/**
 * A Docker Swarm service with HardenedContainer's defaults where the provider's
 * `docker_service` can express them: every capability dropped (`cap_drop: ALL`), a read-only
 * root filesystem, a non-root user, memory and CPU limits and reservations, a health check, an
 * on-failure restart policy with bounded attempts, rolling updates that roll back on failure,
 * rotated logs, audit labels on the service and its containers, encrypted overlay networks and
 * secrets mounted as files.
 *
 * Not enforceable through the provider, and so not set (the rule pack reports these as
 * not-applicable, with the reason): a seccomp profile beyond Docker's default, a PIDs limit,
 * no-new-privileges, ulimits, a swap limit, tmpfs noexec/nosuid/nodev flags, and a host address
 * for published ports (Swarm publishes on every interface of the node, so publishing needs
 * `Relax.publishOnAllInterfaces`). See `SERVICE_NOT_ENFORCEABLE`.
 *
 * Synthesizes one `docker_service`, and a `terraform_data` that carries its labels so a new
 * deployer alone does not replace it.
 */
export class HardenedService extends Construct {
  /** The synthesized `docker_service`. */
  public readonly service: Service;
  /** Verifies the image's cosign signature before the service is created (see HardenedContainer). */
  public readonly imageSignatureStep: TerraformResource | undefined;
  /** Holds every label but `deployed-by` (see HardenedContainer.labelsTrigger). */
  public readonly labelsTrigger: TerraformDataResource;
  /** The fully resolved configuration (every default applied). */
  public readonly spec: ResolvedServiceSpec;

  constructor(scope: Construct, id: string, props: HardenedServiceProps) {
    super(scope, id);
    this.spec = resolveHardenedServiceProps(props, workloadContextOf(this));
    const signatureStep = toContainerImage(props.image).signatureStep(this);
    this.service = new Service(this, "service", {
      ...renderServiceConfig(this.spec, () => dockerProviderVersionOf(this)),
      ...(signatureStep ? { dependsOn: [signatureStep] } : {}),
    });
    this.imageSignatureStep = signatureStep;
    requireProvenDockerProvider(this);
    this.labelsTrigger = replaceOnLabelChange(this, this.service, this.spec.labels, {
      labelAttributes: ["labels", "task_spec[0].container_spec[0].labels"],
    });
    // Each relaxation waives its rules only for the values it names (see lib/policy/subjects.ts).
    Suppressions.addForRelaxations(this, this.spec.relaxations);
    watchStack(this);
  }

  /** The service's name in the swarm. */
  public get serviceName(): string {
    return this.spec.name;
  }
}
