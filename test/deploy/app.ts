/**
 * The cdktf app that `npm run e2e:deploy` hands to the real `cdktf deploy` (its cdktf.json says
 * `npx ts-node <this file>`). It instantiates the example templates exactly as a team would, with
 * the images the run built and pushed, plus two stacks that exist only for the proof: the attack
 * probe as a HardenedContainer with every default, and a container whose image is a tag resolved
 * at plan time by the provider's `docker_registry_image` data source.
 *
 * Input: the JSON in HD_DEPLOY_APP_INPUT (see {@link DeployAppInput}). The deployer is not an
 * input: the constructs read it from the environment (HARDENED_DOCKER_DEPLOYED_BY, ...), as they
 * do for every team.
 */
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import {
  CacheStack,
  RelaxedLegacyStack,
  ScheduledJobStack,
  SwarmTwoTierStack,
  WebServiceStack,
  WorkerStack,
} from "../../examples";
import { ContainerImage, HardenedContainer, HardenedDockerChecks } from "../../lib";
import { TRUSTED_REGISTRIES_CONTEXT } from "../../lib";
import { BOUND_DOCKER_PROVIDER_VERSION } from "../../lib/provider/provider-version";
import { addHardenedProbe } from "../e2e/support/hardened-probe";
import { DEPLOY_STACKS, DeployAppInput } from "./stacks";

type DockerProviderClass = new (scope: Construct, id: string, config: object) => Construct;

/** The attack probe as a HardenedContainer with every default (the battery's target). */
class ProbeStack extends TerraformStack {
  constructor(
    scope: Construct,
    id: string,
    image: string,
    expires: string,
    Provider: DockerProviderClass,
  ) {
    super(scope, id);
    new Provider(this, "docker", {});
    // No deployedBy: the construct reads the deployer from the environment, as for every team.
    addHardenedProbe(this, image, { expires });
  }
}

/** A HardenedContainer whose image is a tag the provider resolves to a digest at plan time. */
class RegistryTagStack extends TerraformStack {
  constructor(scope: Construct, id: string, tag: string, expires: string) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    new HardenedContainer(this, "web", {
      image: ContainerImage.fromRegistryTag(this, "web-image", tag),
      audit: {
        owner: "e2e-deploy",
        purpose: "proves the registry tag is resolved to a digest by the real provider",
        expires,
      },
      healthcheck: { test: ["CMD", "/bin/healthcheck"], intervalSeconds: 5, startPeriodSeconds: 2 },
    });
  }
}

function readInput(): DeployAppInput {
  const text = process.env.HD_DEPLOY_APP_INPUT;
  if (text === undefined || text.trim() === "") {
    throw new Error("HD_DEPLOY_APP_INPUT is not set: this app is run by `npm run e2e:deploy`");
  }
  return JSON.parse(text) as DeployAppInput;
}

function main(): void {
  const input = readInput();
  const app = new App({
    outdir: input.outdir,
    context: { [TRUSTED_REGISTRIES_CONTEXT]: input.trustedRegistries },
  });
  HardenedDockerChecks.applyTo(app);
  const { expires } = input;
  const s = DEPLOY_STACKS;
  new WebServiceStack(app, s.web, { image: input.images.web, expires });
  new WorkerStack(app, s.worker, { image: input.images.worker, expires });
  new RelaxedLegacyStack(app, s.legacy, { image: input.images.web, expires });
  new ScheduledJobStack(app, s.job, {
    image: input.images.worker,
    job: ["sh", "-c", "ls / > /tmp/listing"],
    intervalSeconds: 3,
    expires,
  });
  new CacheStack(app, s.cache, { image: input.images.web, expires });
  const generated = input.generatedProvider
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(input.generatedProvider) as { DockerProvider: DockerProviderClass }).DockerProvider
    : undefined;
  const probe = new ProbeStack(
    app,
    s.probe,
    input.images.probe,
    expires,
    generated ?? DockerProvider,
  );
  new RegistryTagStack(app, s.registryTag, input.tlsTag, expires);
  new SwarmTwoTierStack(app, s.swarm, {
    webImage: input.images.web,
    apiImage: input.images.worker,
    dbPassword: input.dbPassword,
    webPort: input.swarmWebPort,
    expires,
  });
  // The version the run deploys on: what 12.0.3 declares, or its override (not for a stack
  // declared with generated bindings, which declare their own version).
  if (input.providerVersion !== BOUND_DOCKER_PROVIDER_VERSION) {
    for (const stack of app.node.children) {
      if (!(stack instanceof TerraformStack) || (generated && stack === probe)) continue;
      stack.addOverride("terraform.required_providers.docker.version", input.providerVersion);
    }
  }
  app.synth();
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
