import { Construct, IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import type { ResolveContext } from "../container/workload-resolver";
import { requireSignedImagesFromContext } from "../image/signed-images-context";
import { trustedRegistriesFromContext } from "../image/trusted-registries-context";
import { defaultDockerName } from "./default-name";

/**
 * What HardenedContainer and HardenedService read from where they stand in the tree before
 * resolving their props: the construct path, the default Docker name and the app-wide context
 * keys. One place, so a new context key reaches both workloads.
 */
export function workloadContextOf(construct: Construct): ResolveContext {
  return {
    constructPath: construct.node.path,
    defaultName: defaultDockerName(construct),
    contextTrustedRegistries: trustedRegistriesFromContext(construct),
    contextRequireSignedImages: requireSignedImagesFromContext(construct),
    inSameStack: (other: IConstruct) => stackOf(other) === stackOf(construct),
  };
}

function stackOf(construct: IConstruct): TerraformStack | undefined {
  try {
    return TerraformStack.of(construct);
  } catch {
    return undefined;
  }
}
