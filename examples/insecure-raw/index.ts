import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Container } from "@cdktf/provider-docker/lib/container";

/**
 * A deliberately insecure stack of raw provider `Container`s, the way many existing stacks look.
 * It is not part of the main app: it exists so the policy engine's tests and benchmark can show
 * what the rule pack finds in a stack nobody hardened. Do not copy it.
 */
export class InsecureRawStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: { image: string }) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    // Docker's defaults plus the usual shortcuts: root, privileged, the socket, all interfaces.
    new Container(this, "admin", {
      name: `${id}-admin`,
      image: props.image,
      privileged: true,
      networkMode: "host",
      pidMode: "host",
      ports: [{ internal: 80, external: 80 }],
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
      capabilities: { add: ["SYS_ADMIN", "NET_ADMIN"] },
      securityOpts: ["seccomp=unconfined"],
      restart: "always",
    });
    // Looks tidy, yet has no limits, a tag instead of a digest, and a bind on every interface.
    const app = new Container(this, "app", {
      name: `${id}-app`,
      image: "nginx:latest",
      ports: [{ internal: 8080, external: 18081 }],
    });
    // An override that a code review might miss: the policy judges what is synthesized.
    app.addOverride("privileged", true);
  }
}
