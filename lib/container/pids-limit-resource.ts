import { Construct } from "constructs";
import { TerraformDataResource } from "../construct/terraform-data";
import { pidsLimitCommand } from "./pids-limit-step";

/**
 * The PIDs-limit step as a built-in `terraform_data` resource (see `pids-limit-step.ts` for its
 * shape): `input` and `triggers_replace` hold the container id, and a `local-exec` provisioner
 * runs `docker update --pids-limit N <id>` each time the container is (re)created.
 */
export class PidsLimitResource extends TerraformDataResource {
  /** The PIDs limit the step applies. */
  public readonly limit: number;

  constructor(scope: Construct, id: string, containerId: string, limit: number) {
    super(scope, id, {
      input: { container_id: containerId, pids_limit: limit },
      triggersReplace: { container_id: containerId },
      provisioners: [{ type: "local-exec", command: pidsLimitCommand(limit, containerId) }],
    });
    this.limit = limit;
  }
}
