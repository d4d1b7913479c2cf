/**
 * The versions `hardened-docker init` writes into a new project: the ones this package is tested
 * with (test/scaffold/versions.test.ts holds them equal to the repository's installed packages and
 * inside its peer ranges), pinned, so a project scaffolded today installs the same tree tomorrow.
 */

/** Which CDK a new project runs on. */
export type Flavor = "cdktf" | "cdktn";
export const FLAVORS: readonly Flavor[] = ["cdktf", "cdktn"];

/** What a flavor needs: its packages, the CLI command and the Node version. */
export interface FlavorSetup {
  /** Runtime dependencies of the generated project (besides this package). */
  readonly dependencies: Readonly<Record<string, string>>;
  /** Development dependencies: the CLI, the compiler and ts-node. */
  readonly devDependencies: Readonly<Record<string, string>>;
  /** npm `overrides` the flavor needs, if any. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** The CLI a team runs: `npx <cli> synth`. */
  readonly cli: "cdktf" | "cdktn";
  /** The Node versions the toolchain runs on (package.json `engines.node`). */
  readonly node: string;
  /** The Node major version the CI workflow sets up. */
  readonly ciNodeMajor: number;
}

/** The Docker provider bindings, the compiler and ts-node: the same under both flavors. */
const PROVIDER_DOCKER = "12.0.3";
/** TypeScript 5.x: TypeScript 7 breaks ts-node (`reading 'fileExists'`). */
const TYPESCRIPT = "~5.9.3";
const TS_NODE = "10.9.2";

/** cdktf 0.21, the last release before HashiCorp archived it (2025-12-10). */
const CDKTF = "0.21.0";
/** CDK Terrain, cdktf's community continuation: same API, new package names, Node >= 22.19. */
const CDKTN = "0.24.0";

export const FLAVOR_SETUP: Readonly<Record<Flavor, FlavorSetup>> = {
  cdktf: {
    dependencies: {
      cdktf: CDKTF,
      constructs: "10.8.1",
      "@cdktf/provider-docker": PROVIDER_DOCKER,
    },
    devDependencies: {
      "cdktf-cli": CDKTF,
      typescript: TYPESCRIPT,
      "ts-node": TS_NODE,
      "@types/node": "^20.19.43",
    },
    cli: "cdktf",
    node: ">=20",
    ciNodeMajor: 20,
  },
  cdktn: {
    // The library and the provider bindings import `cdktf`: the alias makes that name CDK
    // Terrain, so the whole app runs on one copy of it (real `cdktn` imports beside constructs
    // built on `cdktf` classes throw at synth; README "CDK Terrain").
    dependencies: {
      cdktf: `npm:cdktn@${CDKTN}`,
      // cdktn 0.24 takes constructs >= 10.6.0 < 10.8.0.
      constructs: "10.7.2",
      "@cdktf/provider-docker": PROVIDER_DOCKER,
    },
    devDependencies: {
      "cdktn-cli": CDKTN,
      typescript: TYPESCRIPT,
      "ts-node": TS_NODE,
      "@types/node": "^22.19.0",
    },
    // @cdktf/provider-docker 12 asks for cdktf ^0.21.0 as a peer; the alias is 0.24.0.
    overrides: { cdktf: "$cdktf" },
    cli: "cdktn",
    node: ">=22.19.0",
    ciNodeMajor: 22,
  },
};
