import { Construct } from "constructs";
import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
} from "cdktf";
import { pidsLimitCommand } from "./pids-limit-step";

/**
 * The PIDs-limit step as a built-in `terraform_data` resource (see `pids-limit-step.ts` for its
 * shape): `input` and `triggers_replace` hold the container id, and a `local-exec` provisioner
 * runs `docker update --pids-limit N <id>`.
 *
 * Synthesizes exactly what cdktf's `DataResource` does, without its synth-time validation: that
 * one spawns `terraform version` for every instance (about 100 ms each: 100 HardenedContainers
 * took over 10 s to synthesize) and fails synth on machines without a Terraform binary, where
 * `cdktf synth` otherwise works. `terraform_data` needs Terraform >= 1.4 or OpenTofu; an older
 * binary stops at plan with an unknown resource type, before anything is changed.
 */
export class PidsLimitResource extends TerraformResource {
  private readonly containerId: string;

  constructor(scope: Construct, id: string, containerId: string, limit: number) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      provisioners: [{ type: "local-exec", command: pidsLimitCommand(limit, containerId) }],
    });
    this.containerId = containerId;
    this.limit = limit;
  }

  /** The PIDs limit the step applies. */
  public readonly limit: number;

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapper(anyToTerraform)(this.input()),
      triggers_replace: hashMapper(anyToTerraform)(this.triggers()),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapperHcl(anyToHclTerraform)(this.input()),
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggers()),
    };
  }

  private input(): Record<string, unknown> {
    return { container_id: this.containerId, pids_limit: this.limit };
  }

  private triggers(): Record<string, unknown> {
    return { container_id: this.containerId };
  }
}
