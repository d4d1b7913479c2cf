import { Construct } from "constructs";
import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  TerraformResourceConfig,
} from "cdktf";

/** What a {@link TerraformDataResource} holds. */
export interface TerraformDataConfig {
  /** `input`: stored in state; a change plans an update, which `replace_triggered_by` sees. */
  readonly input: Readonly<Record<string, unknown>>;
  /** `triggers_replace`: a change replaces this resource (and reruns its provisioners). */
  readonly triggersReplace?: Readonly<Record<string, unknown>>;
  readonly provisioners?: TerraformResourceConfig["provisioners"];
}

/**
 * Terraform's built-in `terraform_data` resource (Terraform >= 1.4 or OpenTofu; no provider to
 * download). Synthesizes exactly what cdktf's `DataResource` does, without its synth-time
 * validation: that one spawns `terraform version` for every instance (about 100 ms each: 100
 * HardenedContainers took over 10 s to synthesize) and fails synth on machines without a
 * Terraform binary, where `cdktf synth` otherwise works. An older Terraform stops at plan with an
 * unknown resource type, before anything is changed.
 */
export class TerraformDataResource extends TerraformResource {
  private readonly data: TerraformDataConfig;

  constructor(scope: Construct, id: string, config: TerraformDataConfig) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      provisioners: config.provisioners,
    });
    this.data = config;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const map = hashMapper(anyToTerraform);
    return {
      input: map(this.data.input),
      ...(this.data.triggersReplace ? { triggers_replace: map(this.data.triggersReplace) } : {}),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const map = hashMapperHcl(anyToHclTerraform);
    return {
      input: map(this.data.input),
      ...(this.data.triggersReplace ? { triggers_replace: map(this.data.triggersReplace) } : {}),
    };
  }
}
