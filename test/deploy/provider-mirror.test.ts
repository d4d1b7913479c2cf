import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SUPPORTED_DOCKER_PROVIDER_VERSIONS } from "../../lib/provider/provider-version";
import {
  PROXY_MODULE,
  REQUIRED_VERSION,
  binaryPath,
  cliConfigText,
  mirrorPaths,
  mirroredProvider,
  providerCacheDir,
  readyMirror,
} from "./provider-mirror";
import { plannedChanges } from "../support/terraform-cli";

describe("the provider's filesystem mirror (no engine needed)", () => {
  let cache = "";
  beforeEach(() => {
    cache = mkdtempSync(path.join(tmpdir(), "hd-mirror-"));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  function place(version: string, mode = 0o755): string {
    const binary = binaryPath(mirrorPaths(cache).mirrorDir, version);
    mkdirSync(path.dirname(binary), { recursive: true });
    writeFileSync(binary, "#!/bin/sh\n");
    chmodSync(binary, mode);
    return binary;
  }

  test("@cdktf/provider-docker 12 binds 3.6.2, the other supported version besides 4.6.0", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bound = require("@cdktf/provider-docker/package.json") as {
      cdktf?: { provider?: { version?: string } };
    };
    expect(SUPPORTED_DOCKER_PROVIDER_VERSIONS).toEqual([
      bound.cdktf?.provider?.version,
      REQUIRED_VERSION,
    ]);
  });

  test("builds 4.6.0 from one pinned pseudo-version of the repository's path, checked by sum", () => {
    expect(PROXY_MODULE.module).toBe("github.com/kreuzwerker/terraform-provider-docker");
    expect(PROXY_MODULE.pseudoVersion).toMatch(/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
    expect(PROXY_MODULE.sum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
  });

  test("lives in HD_PROVIDER_CACHE, else under ~/.cache/hardened-docker", () => {
    expect(providerCacheDir({ HD_PROVIDER_CACHE: "/x/y" })).toBe("/x/y");
    expect(providerCacheDir({ HOME: "/h", XDG_CACHE_HOME: "/c" })).toBe("/c/hardened-docker");
    expect(providerCacheDir({})).toMatch(/\.cache\/hardened-docker$/);
  });

  test("lays each version out where Terraform's filesystem mirror looks for it", () => {
    const { mirrorDir } = mirrorPaths(cache);
    expect(path.relative(mirrorDir, binaryPath(mirrorDir, "4.6.0"))).toBe(
      "registry.terraform.io/kreuzwerker/docker/4.6.0/linux_amd64/terraform-provider-docker_v4.6.0",
    );
  });

  test("the CLI configuration takes the docker provider from the mirror only", () => {
    const text = cliConfigText("/m");
    expect(text).toMatch(
      /filesystem_mirror \{\s+path\s+= "\/m"\s+include = \["registry.terraform.io\/kreuzwerker\/docker"\]/,
    );
    expect(text).toMatch(/direct \{\s+exclude = \["registry.terraform.io\/kreuzwerker\/docker"\]/);
  });

  test("is ready with any supported version that is executable, and lists only those", () => {
    expect(readyMirror(cache)).toMatch(/no kreuzwerker\/docker 3\.6\.2 or 4\.6\.0 binary under/);
    place("4.6.0", 0o644);
    place("4.5.0");
    expect(readyMirror(cache)).toMatch(/no kreuzwerker/);
    const v4 = place("4.6.0");
    expect(readyMirror(cache)).toMatch(/no Terraform CLI configuration/);
    const { cliConfig, mirrorDir } = mirrorPaths(cache);
    writeFileSync(cliConfig, cliConfigText(mirrorDir));
    expect(readyMirror(cache)).toMatchObject({
      cliConfig,
      providers: [{ version: "4.6.0", binary: v4 }],
    });
    expect(mirroredProvider("3.6.2", cache)).toMatch(/no kreuzwerker\/docker 3\.6\.2 binary/);
    place("3.6.2");
    const both = readyMirror(cache);
    expect(typeof both === "string" ? both : both.providers.map((p) => p.version)).toEqual([
      "3.6.2",
      "4.6.0",
    ]);
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
