import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer, HardenedNetwork, Suppressions } from "cdktf-hardened-docker";

/** Where the password file is mounted in the container (read-only). */
export const DATABASE_PASSWORD_PATH = "/run/secrets/db-password";

/** Inputs of {@link DatabaseStack}. */
export interface DatabaseStackProps {
  /**
   * The image, pinned by digest (`name@sha256:<64 hex>`): PostgreSQL's official image, or one
   * with the same interface (`PGDATA`, `POSTGRES_PASSWORD_FILE`, `pg_isready`).
   */
  readonly image: string;
  /**
   * The last day it may run (`YYYY-MM-DD`, at most a year ahead): a fixed date in your code, so
   * a reviewer sees it coming. Changing it replaces the container; the data volume stays.
   */
  readonly expires: string;
  /**
   * Absolute host path of the file holding the database password, e.g.
   * `/etc/hardened-docker/secrets/orders-db-password` (not under `/etc` itself: mount a
   * dedicated directory). Mounted read-only at `/run/secrets/db-password`, and the server reads
   * it through `POSTGRES_PASSWORD_FILE`, so the password shows in no `docker inspect`, process
   * environment or Terraform state (CIS 7.4). The host keeps it readable by the container's
   * user only (`chown 999:999`, `chmod 0400`).
   */
  readonly passwordFile: string;
  /**
   * Numeric `uid:gid` the server runs as. It must own the data directory in the image, since a
   * new volume starts as a copy of it.
   * @default "999:999" - the `postgres` user of the official Debian-based image: not root
   * (CIS 4.1), and the owner of `/var/lib/postgresql/data` there.
   */
  readonly user?: string;
  /**
   * The data directory (`PGDATA`), on the named volume.
   * @default "/var/lib/postgresql/data" - the official image's
   */
  readonly dataPath?: string;
  /**
   * Name of the data volume on the host. Keep it stable: a new name is a new, empty volume.
   * @default `<stack id>-pgdata`
   */
  readonly volumeName?: string;
  /**
   * The health check command.
   * @default ["CMD", "pg_isready", "-U", "postgres", "-h", "/var/run/postgresql"] - ready when
   * the server accepts connections on its socket
   */
  readonly healthcheck?: readonly string[];
  /**
   * Memory limit in MiB (shared buffers, work memory and the connection processes).
   * @default 512
   */
  readonly memoryMiB?: number;
  /** @default read by the constructs from the environment (GITHUB_ACTOR, USER, ...) */
  readonly deployedBy?: string;
  /** @default the system clock */
  readonly clock?: Clock;
}

/**
 * A database server (PostgreSQL) whose data outlives its container: a named local volume (no
 * host path, no driver options) holds the data directory and survives a replacement of the
 * container (a new image, a new expiry), while the root filesystem stays read-only. The password
 * is a file mounted read-only and named by `POSTGRES_PASSWORD_FILE`. The server runs as a
 * non-root user and is reachable only from containers on its internal network (no published
 * port, no route out). Clients join `dbNetwork`.
 */
export class DatabaseStack extends TerraformStack {
  public readonly dbNetwork: HardenedNetwork;
  public readonly db: HardenedContainer;

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const dataPath = props.dataPath ?? "/var/lib/postgresql/data";
    const audit = {
      owner: "orders-team",
      purpose: "orders database",
      expires: props.expires,
      deployedBy: props.deployedBy,
    };
    this.dbNetwork = HardenedNetwork.bridge(this, "network", {
      name: `${id}-net`,
      interContainerTraffic: true,
      audit,
      clock: props.clock,
    });
    // The application's containers on this bridge must reach the database: ICC stays on.
    Suppressions.add(this.dbNetwork, [
      {
        ruleId: "HD-BRIDGE-ICC",
        reason: "the orders service reaches its database over this bridge; nothing else joins it",
      },
    ]);
    this.db = new HardenedContainer(this, "db", {
      image: props.image,
      audit: { ...audit, contact: "#orders" },
      user: props.user ?? "999:999",
      networks: [this.dbNetwork],
      env: {
        PGDATA: dataPath,
        // A path, not the password: passes the secret check (CIS 7.4).
        POSTGRES_PASSWORD_FILE: DATABASE_PASSWORD_PATH,
      },
      volumes: [{ path: dataPath, name: props.volumeName ?? `${id}-pgdata` }],
      mounts: [{ source: props.passwordFile, target: DATABASE_PASSWORD_PATH }],
      // The server's socket and lock files; everything else under / stays read-only.
      tmpfs: [{ path: "/var/run/postgresql", sizeMiB: 1 }],
      resources: { memoryMiB: props.memoryMiB ?? 512, cpus: 1, pids: 256 },
      healthcheck: {
        test: props.healthcheck ?? [
          "CMD",
          "pg_isready",
          "-U",
          "postgres",
          "-h",
          "/var/run/postgresql",
        ],
        intervalSeconds: 5,
        startPeriodSeconds: 30,
      },
      clock: props.clock,
    });
  }
}
