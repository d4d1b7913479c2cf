import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedContainer } from "../../lib";
import { ExampleStackProps, defaultExpiry } from "../example-defaults";

/**
 * A background worker with no network at all (`network_mode: none`): it publishes no port and
 * needs no network, so it gets none. Scratch space is the 64 MiB noexec tmpfs at /tmp.
 */
export class WorkerStack extends TerraformStack {
  public readonly worker: HardenedContainer;

  constructor(scope: Construct, id: string, props: ExampleStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    this.worker = new HardenedContainer(this, "worker", {
      image: props.image,
      audit: {
        owner: "data-team",
        purpose: "compacts the nightly exports",
        expires: props.expires ?? defaultExpiry(props.clock),
        deployedBy: props.deployedBy,
        ticket: "DATA-42",
      },
      resources: { memoryMiB: 128, cpus: 0.25, pids: 64 },
      healthcheck: { test: ["CMD", "/bin/healthcheck"], intervalSeconds: 5, startPeriodSeconds: 2 },
      clock: props.clock,
    });
  }
}
