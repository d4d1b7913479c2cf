import { Construct } from "constructs";
import { TerraformDataResource } from "../../construct/terraform-data";
import { IMAGE_ENV, TRUSTED_KEYS_ENV, VERIFY_IMAGE_COMMAND } from "./signature-step";

/**
 * The image-signature step as a built-in `terraform_data` resource (see `signature-step.ts`):
 * `input` and `triggers_replace` hold the image reference, so a new digest (a moved tag) replaces
 * the step and verifies again before the image or container changes.
 */
export class ImageSignatureStep extends TerraformDataResource {
  /** The `repository@digest` it verifies (may be a token). */
  public readonly reference: string;

  constructor(scope: Construct, id: string, reference: string, keysPem: readonly string[]) {
    super(scope, id, {
      input: { image: reference },
      triggersReplace: { image: reference },
      provisioners: [
        {
          type: "local-exec",
          command: VERIFY_IMAGE_COMMAND,
          // The reference (a registry's answer, for a tag) is never written into the command.
          environment: { [IMAGE_ENV]: reference, [TRUSTED_KEYS_ENV]: keysPem.join("\n") },
        },
      ],
    });
    this.reference = reference;
  }
}
