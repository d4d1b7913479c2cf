import { Testing, TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { HardenedNetwork } from "../../lib";
import { labelsWithoutDeployer } from "../../lib/audit/label-lifecycle";
import { synthService } from "../support/swarm-synth";
import { Json, baseProps, labelsOf, synthHardened, testClock } from "../support/hardened-synth";

/**
 * kreuzwerker/docker 3.6.2 declares `labels` ForceNew on docker_container and docker_network
 * (internal/provider/resource_docker_container.go, resource_docker_network.go). Seen on the real
 * provider: after a deploy as "alice", `terraform plan` of the same stack synthesized as "bob"
 * planned `docker_container ... must be replaced` and `docker_network ... must be replaced`, with
 * `labels { # forces replacement  deployed-by = "alice" -> "bob" }` the only change.
 */

function triggersOf(resources: Json): Record<string, Json> {
  const data = resources.terraform_data as Record<string, Json>;
  return Object.fromEntries(
    Object.entries(data).filter(([, body]) => !("provisioner" in body)),
  ) as Record<string, Json>;
}

describe("labels that do not replace a container when only the deployer changes", () => {
  // A bare address: Terraform 1.11 refuses the "${terraform_data.x}" that cdktf 0.21 writes for a
  // resource object here ("Invalid character ... lifecycle.replace_triggered_by"), seen on a real plan.
  test("the container ignores label changes and is replaced when its labels trigger changes", () => {
    const { container, resources } = synthHardened(baseProps());
    const triggers = triggersOf(resources);
    const names = Object.keys(triggers);
    expect(names).toHaveLength(1);
    expect(container.lifecycle).toEqual({
      ignore_changes: ["labels"],
      replace_triggered_by: [`terraform_data.${names[0]}`],
    });
  });

  test("the trigger carries every label but deployed-by, so the deployer alone changes nothing", () => {
    const asAlice = synthHardened(
      baseProps({ audit: { ...baseProps().audit, deployedBy: "alice" } }),
    );
    const asBob = synthHardened(baseProps({ audit: { ...baseProps().audit, deployedBy: "bob" } }));
    // The container is still created with the deployer's name...
    expect(labelsOf(asAlice.container)["io.hardened-docker.deployed-by"]).toBe("alice");
    expect(labelsOf(asBob.container)["io.hardened-docker.deployed-by"]).toBe("bob");
    // ...but what Terraform compares for a replacement is the same for both.
    const input = (r: Json) => Object.values(triggersOf(r))[0].input as { labels: string[] };
    expect(input(asAlice.resources)).toEqual(input(asBob.resources));
    expect(input(asAlice.resources).labels).toContain("io.hardened-docker.owner=payments-team");
    expect(input(asAlice.resources).labels.join("\n")).not.toMatch(/deployed-by/);
  });

  test("any other label change (owner, expiry) changes the trigger, so the container is replaced", () => {
    const input = (owner: string, expires: string) =>
      Object.values(
        triggersOf(
          synthHardened(baseProps({ audit: { ...baseProps().audit, owner, expires } })).resources,
        ),
      )[0].input;
    const base = input("payments-team", "2026-06-30");
    expect(input("billing-team", "2026-06-30")).not.toEqual(base);
    expect(input("payments-team", "2026-06-29")).not.toEqual(base);
  });

  test("the trigger lists labels sorted, whatever order they were written in", () => {
    expect(
      labelsWithoutDeployer({ b: "2", "io.hardened-docker.deployed-by": "x", a: "1" }),
    ).toEqual(["a=1", "b=2"]);
  });

  // Seen on the real provider: an overlay's plan after the first deploy read
  // `options { - "com.docker.network.driver.overlay.vxlanid_list" = "4104" } # forces replacement`.
  test("a HardenedNetwork ignores labels and driver options; both replace it through the trigger", () => {
    const synthNetwork = (encrypted: boolean) => {
      const stack = new TerraformStack(Testing.app(), "s");
      new DockerProvider(stack, "docker", {});
      HardenedNetwork.overlay(stack, "net", {
        encrypted,
        audit: {
          owner: "web-team",
          purpose: "the web tier",
          expires: "2026-06-30",
          deployedBy: "alice",
        },
        clock: testClock,
      });
      return JSON.parse(Testing.synth(stack)).resource as Json;
    };
    const resources = synthNetwork(true);
    const network = Object.values(resources.docker_network as Record<string, Json>)[0];
    const [[triggerName, trigger]] = Object.entries(triggersOf(resources));
    expect(network.lifecycle).toEqual({
      ignore_changes: ["labels", "options"],
      replace_triggered_by: [`terraform_data.${triggerName}`],
    });
    expect((trigger.input as { options: string[] }).options).toEqual(["encrypted=true"]);
    const plain = Object.values(triggersOf(synthNetwork(false)))[0];
    expect(plain.input).not.toEqual(trigger.input);
  });

  // Seen on the real provider: bob's deploy replaced both services of the Swarm template, with
  // `task_spec.container_spec.labels { deployed-by = "alice" -> "bob" } # forces replacement`.
  test("a HardenedService ignores its own and its containers' labels and names its trigger", () => {
    const { service, json } = synthService();
    const [triggerName] = Object.keys(triggersOf(json.resource as Json));
    expect(service.lifecycle).toEqual({
      ignore_changes: ["labels", "task_spec[0].container_spec[0].labels"],
      replace_triggered_by: [`terraform_data.${triggerName}`],
    });
  });
});
