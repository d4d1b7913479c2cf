import { Construct } from "constructs";

/**
 * A Docker object name from the construct path below the app, joined with `-` (unique per app):
 * the default name of containers, services and networks.
 */
export function defaultDockerName(scope: Construct): string {
  const parts = scope.node.scopes.slice(1).map((s) => s.node.id);
  return parts
    .join("-")
    .replace(/[^a-zA-Z0-9_.-]/g, "-")
    .replace(/^[^a-zA-Z0-9]+/, "")
    .slice(0, 128);
}
