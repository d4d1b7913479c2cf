import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, Aspects, TerraformStack } from "cdktf";
import { Container } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Construct, IConstruct } from "constructs";
import { HardenedDockerChecks } from "../../../lib/checks/app-checks";

/**
 * Issue 17 §6: the accidental ways round the in-process gate are closed. The checks run as cdktf
 * validations (after every aspect, on every stack), not as a construct with a well-known id.
 */

const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;
let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), "hd-gate-"));
  jest.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

function appWithStack(): { app: App; stack: TerraformStack } {
  const app = new App({ outdir });
  HardenedDockerChecks.applyTo(app);
  const stack = new TerraformStack(app, "web");
  new DockerProvider(stack, "docker");
  return { app, stack };
}

it("a construct that takes the checks' old id does not switch them off", () => {
  const { app, stack } = appWithStack();
  new Construct(stack, "HardenedDockerChecks");
  new Construct(stack, "HardenedDockerSuppressionCarrier");
  new Container(stack, "agent", { name: "agent", image: IMAGE, privileged: true });
  expect(() => app.synth()).toThrow(/CIS-5\.5/);
});

it("a container an aspect adds during synthesis is checked", () => {
  const { app, stack } = appWithStack();
  let added = false;
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (node !== stack || added) return;
      added = true;
      new Container(stack, "late", { name: "late", image: IMAGE, privileged: true });
    },
  });
  expect(() => app.synth()).toThrow(/CIS-5\.5/);
});

it("an override an aspect writes is checked", () => {
  const { app, stack } = appWithStack();
  const agent = new Container(stack, "agent", { name: "agent", image: IMAGE });
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (node === agent) agent.addOverride("privileged", true);
    },
  });
  expect(() => app.synth()).toThrow(/CIS-5\.5/);
});

it("calling App.prototype.synth directly still meets the checks", () => {
  const { app, stack } = appWithStack();
  new Container(stack, "agent", { name: "agent", image: IMAGE, privileged: true });
  expect(() => App.prototype.synth.call(app)).toThrow(/CIS-5\.5/);
});

it("an app that skips validation is refused, since the checks are validations", () => {
  const app = new App({ outdir, skipValidation: true });
  expect(() => HardenedDockerChecks.applyTo(app)).toThrow(/skipValidation/);
});
