import { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import { TerraformDataResource } from "../construct/terraform-data";
import { AuditLabel } from "../policy/facts/labels";

/**
 * The construct id of the `terraform_data` that carries a resource's labels (beside the resource,
 * in the same scope).
 */
export const LABELS_TRIGGER_ID = "labels";

/**
 * Lets the `deployed-by` label say who created *this* object, without a new deployer replacing it.
 *
 * kreuzwerker/docker 3.6.2 declares `labels` ForceNew on `docker_container` and `docker_network`
 * (internal/provider/resource_docker_container.go and resource_docker_network.go), and the
 * deployer is read from the environment at synth (GITHUB_ACTOR, USER, ...); a `docker_service`
 * writes them on its task containers too (`task_spec.container_spec.labels`, which forces a
 * replacement). Seen on the real provider: a deploy by "bob" of stacks "alice" deployed
 * replaced every container, network and service, with `deployed-by` as the only change.
 *
 * So the resource ignores changes to `labels`, and a `terraform_data` holds every other label
 * (owner, purpose, expires, contact, ticket, relaxations, the team's own) as its `input`. The
 * resource names it in `replace_triggered_by`: when any of those labels changes, the
 * `terraform_data` plans an update and Terraform replaces the resource, which is then created with
 * the current labels, `deployed-by` included. Settings other than labels are untouched: the
 * provider still plans them as usual.
 *
 * `readBackDifferently` names other ForceNew map attributes the provider reads back with values
 * the Engine added, which would otherwise replace the resource on every plan; they get the same
 * treatment. Seen on the real provider: an overlay `docker_network` reads back
 * `options["com.docker.network.driver.overlay.vxlanid_list"]`, which Docker assigns.
 */
export function replaceOnLabelChange(
  scope: Construct,
  resource: TerraformResource,
  labels: Readonly<Record<string, string>>,
  options: {
    /** Attributes that hold the labels. @default ["labels"] */
    readonly labelAttributes?: readonly string[];
    readonly readBackDifferently?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  } = {},
): TerraformDataResource {
  const readBackDifferently = options.readBackDifferently ?? {};
  const labelAttributes = options.labelAttributes ?? ["labels"];
  const input: Record<string, string[]> = { labels: labelsWithoutDeployer(labels) };
  for (const [attribute, map] of Object.entries(readBackDifferently)) {
    input[attribute] = keyValues(map);
  }
  const trigger = new TerraformDataResource(scope, LABELS_TRIGGER_ID, { input });
  resource.lifecycle = {
    ...resource.lifecycle,
    ignoreChanges: [...labelAttributes, ...Object.keys(readBackDifferently)],
    // A bare address, not the resource object: cdktf 0.21 synthesizes an object as
    // "${terraform_data.x}", which Terraform 1.11 refuses in JSON ("Invalid character ... in
    // resource.docker_container.x.lifecycle.replace_triggered_by"), seen on the first real plan.
    replaceTriggeredBy: [`${trigger.terraformResourceType}.${trigger.friendlyUniqueId}`],
  };
  return trigger;
}

function keyValues(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map)
    .map(([key, value]) => `${key}=${value}`)
    .sort();
}

/** `key=value` for every label but `deployed-by`, sorted, so the input does not depend on order. */
export function labelsWithoutDeployer(labels: Readonly<Record<string, string>>): string[] {
  return keyValues(
    Object.fromEntries(Object.entries(labels).filter(([key]) => key !== AuditLabel.deployedBy)),
  );
}
