import { NetworkModel } from "../policy/network-model";
import { Maybe, Unknown, isUnknown } from "../policy/unknown";
import { constructPathOf, field } from "./terraform-common";
import {
  describeValue,
  isRecord,
  readBoolean,
  readString,
  readStringMap,
} from "./terraform-values";

/**
 * The Terraform network adapter: a `docker_network` resource of synthesized JSON to the network
 * model (a live network is read by `lib/host/network-inspect.ts`).
 */

/** Every `docker_network` of one stack's synthesized JSON, as models (resource order). */
export function networksFromTerraformJson(stackJson: unknown): NetworkModel[] {
  if (!isRecord(stackJson) || !isRecord(stackJson.resource)) return [];
  const ofType = stackJson.resource.docker_network;
  if (!isRecord(ofType)) return [];
  return Object.entries(ofType).map(([resourceName, body]) => {
    const resource = `docker_network.${resourceName}`;
    if (!isRecord(body)) {
      const why = new Unknown(`${resource} should be an object but is ${describeValue(body)}`);
      return {
        source: "terraform",
        resource,
        name: why,
        driver: why,
        options: why,
        internal: why,
        ingress: why,
      };
    }
    const constructPath = constructPathOf(body);
    const driver = field("driver", () => readString("driver", body.driver));
    return {
      source: "terraform",
      resource,
      ...(constructPath !== undefined ? { constructPath } : {}),
      name: field("name", () => {
        const name = readString("name", body.name);
        return name === undefined ? new Unknown("name is not set") : name;
      }),
      driver: isUnknown(driver) ? driver : driver || "bridge",
      options: field("options", () => {
        const options = readStringMap("options", body.options);
        return options === undefined ? {} : options;
      }),
      internal: field("internal", () => withFalse(readBoolean("internal", body.internal))),
      ingress: field("ingress", () => withFalse(readBoolean("ingress", body.ingress))),
    };
  });
}

function withFalse(value: Maybe<boolean | undefined>): Maybe<boolean> {
  return value === undefined ? false : value;
}
