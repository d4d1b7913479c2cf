import { ContainerModel } from "../../../lib/policy/model";
import { modelsFromTerraformJson } from "../../../lib/synth/terraform-json";

/** The model of a bare synthesized container with the given security options. */
export function modelFromSecurityOpt(securityOpts: string[]): ContainerModel {
  const [model] = modelsFromTerraformJson({
    resource: { docker_container: { c: { name: "c", image: "x", security_opts: securityOpts } } },
  }).models;
  if (model === undefined) throw new Error("no model");
  return model;
}
