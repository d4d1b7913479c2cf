/** The stacks `npm run e2e:deploy` deploys, and what its app (app.ts) takes as input. */

/** Stack names, also the prefix of every container, network, secret and service they create. */
export const DEPLOY_STACKS = {
  web: "hdd-web",
  worker: "hdd-worker",
  legacy: "hdd-legacy",
  job: "hdd-job",
  cache: "hdd-cache",
  database: "hdd-db",
  probe: "hdd-probe",
  registryTag: "hdd-tag",
  swarm: "hdd-swarm",
} as const;

export type DeployStackKey = keyof typeof DEPLOY_STACKS;

/** The stacks that hold containers (every one but the Swarm template). */
export const CONTAINER_STACKS: readonly DeployStackKey[] = [
  "web",
  "worker",
  "legacy",
  "job",
  "cache",
  "database",
  "probe",
  "registryTag",
];

/** The CIS rules each container stack's template waives through a reasoned relaxation. */
export const RELAXED_RULES: Readonly<Partial<Record<DeployStackKey, readonly string[]>>> = {
  legacy: ["CIS-5.8"],
};

/** The JSON the run passes to app.ts in HD_DEPLOY_APP_INPUT. */
export interface DeployAppInput {
  /** The cdktf output folder (`cdktf deploy --output` passes the same). */
  readonly outdir: string;
  readonly trustedRegistries: readonly string[];
  /** Digest-pinned references on the plain-HTTP loopback registry. */
  readonly images: {
    readonly web: string;
    readonly worker: string;
    readonly probe: string;
    /** The database template's PostgreSQL stand-in (test/e2e/images/database). */
    readonly database: string;
  };
  /** A tag on the TLS registry, for `ContainerImage.fromRegistryTag`. */
  readonly tlsTag: string;
  /** A fixed expiry, so two runs on either side of a month's end synthesize the same labels. */
  readonly expires: string;
  readonly dbPassword: string;
  /** A host file holding `dbPassword`, owned by the database's user, mode 0400. */
  readonly dbPasswordFile: string;
  readonly swarmWebPort: number;
}
