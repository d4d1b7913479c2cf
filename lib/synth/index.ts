/**
 * The one reader of Terraform input: `cdktf.out` folders, stack folders and single files, in
 * every shape Terraform's JSON syntax accepts. `audit --synth`, `drift` and the app checks all
 * read through it.
 */
export { loadSynthesizedStacks, loadTerraformInput, SynthesizedStack } from "./load-stacks";
export { SynthInputError } from "./synth-input-error";
export {
  readTerraformConfig,
  TerraformConfig,
  TerraformConfigError,
  TERRAFORM_TOP_LEVEL_KEYS,
} from "./terraform-config";
export { MAX_INPUT_FILE_BYTES, MAX_INPUT_TOTAL_BYTES } from "./read-file";
