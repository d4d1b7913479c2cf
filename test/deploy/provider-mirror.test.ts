import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PINNED_PROVIDER, cliConfigText, mirrorPaths, readyMirror } from "./provider-mirror";
import { plannedChanges } from "../support/terraform-cli";

describe("the provider's filesystem mirror (no engine needed)", () => {
  let cache = "";
  beforeEach(() => {
    cache = mkdtempSync(path.join(tmpdir(), "hd-mirror-"));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  test("pins what @cdktf/provider-docker 12 binds, by the commit of tag v3.6.2", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bound = require("@cdktf/provider-docker/package.json") as {
      cdktf?: { provider?: { version?: string } };
    };
    expect(bound.cdktf?.provider?.version).toBe(PINNED_PROVIDER.version);
    expect(PINNED_PROVIDER.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  test("lays the binary out where Terraform's filesystem mirror looks for it", () => {
    const { binary, mirrorDir } = mirrorPaths(cache);
    expect(path.relative(mirrorDir, binary)).toBe(
      "registry.terraform.io/kreuzwerker/docker/3.6.2/linux_amd64/terraform-provider-docker_v3.6.2",
    );
  });

  test("the CLI configuration takes the docker provider from the mirror only", () => {
    const text = cliConfigText("/m");
    expect(text).toMatch(
      /filesystem_mirror \{\s+path\s+= "\/m"\s+include = \["registry.terraform.io\/kreuzwerker\/docker"\]/,
    );
    expect(text).toMatch(/direct \{\s+exclude = \["registry.terraform.io\/kreuzwerker\/docker"\]/);
  });

  test("is not ready without an executable binary, and says how to get one", () => {
    expect(readyMirror(cache)).toMatch(
      /no kreuzwerker\/docker 3\.6\.2 binary at .*provider-mirror\.ts/,
    );
    const { binary, cliConfig } = mirrorPaths(cache);
    mkdirSync(path.dirname(binary), { recursive: true });
    writeFileSync(binary, "#!/bin/sh\n", { mode: 0o644 });
    expect(readyMirror(cache)).toMatch(/no kreuzwerker/);
    chmodSync(binary, 0o755);
    expect(readyMirror(cache)).toMatch(/no Terraform CLI configuration/);
    writeFileSync(cliConfig, cliConfigText(mirrorPaths(cache).mirrorDir));
    expect(readyMirror(cache)).toMatchObject({ binary, cliConfig });
  });
});

describe("reading a plan for perpetual diffs", () => {
  test("lists the resources a plan changes and the attributes that force a replacement", () => {
    const log = [
      "  # docker_service.api will be updated in-place",
      '      ~ window = "1m" -> "60s"',
      "  # docker_network.back must be replaced",
      "      ~ options = { # forces replacement",
      "Plan: 0 to add, 1 to change, 0 to destroy.",
    ].join("\n");
    expect(plannedChanges(log)).toEqual([
      "# docker_service.api will be updated in-place",
      "# docker_network.back must be replaced",
      "~ options = { # forces replacement",
    ]);
    expect(plannedChanges("No changes. Your infrastructure matches the configuration.")).toEqual(
      [],
    );
  });
});
