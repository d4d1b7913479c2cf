import { Relaxation } from "../policy/relaxations";
import { ResolvedHealthcheck } from "../container/workload-resolver";

/**
 * A HardenedService's configuration with every default applied and every check passed.
 * Rendering reads only this object.
 */
export interface ResolvedServiceSpec {
  readonly name: string;
  readonly image: string;
  readonly user: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly replicas: number;
  readonly ports: readonly {
    internal: number;
    external?: number;
    protocol: string;
    publishMode: string;
  }[];
  /** Network names (HardenedNetworks as name tokens). */
  readonly networks: readonly string[];
  readonly memoryBytes: number;
  readonly nanoCpus: number;
  readonly memoryReservationBytes: number;
  readonly nanoCpusReservation: number;
  readonly healthcheck?: ResolvedHealthcheck;
  /** tmpfs mounts, by target; no size (SERVICE_NOT_ENFORCEABLE.tmpfsSize). */
  readonly tmpfs: readonly { target: string }[];
  readonly secrets: readonly {
    secretId: string;
    secretName: string;
    fileName: string;
    fileUid: string;
    fileGid: string;
    fileMode: number;
  }[];
  readonly capAdd: readonly string[];
  readonly readOnlyRootfs: boolean;
  readonly maxRestarts: number;
  readonly update: {
    readonly parallelism: number;
    readonly delaySeconds: number;
    readonly monitorSeconds: number;
    readonly order: string;
  };
  readonly logDriver: string;
  readonly logOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly relaxations: readonly Relaxation[];
}
