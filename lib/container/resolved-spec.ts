import { Relaxation } from "../policy/relaxations";
import type { ResolvedHealthcheck } from "./workload-resolver";

/**
 * A HardenedContainer's configuration with every default applied and every check passed.
 * Rendering reads only this object.
 */
export interface ResolvedContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly user: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env: readonly string[];
  readonly workingDir?: string;
  readonly ports: readonly { internal: number; external?: number; ip: string; protocol: string }[];
  /** `"none"` when the container has no network at all; undefined otherwise. */
  readonly networkMode?: "none";
  readonly networks: readonly string[];
  readonly memoryMiB: number;
  readonly cpus: number;
  readonly cpuShares: number;
  readonly pids: number;
  readonly openFiles: number;
  readonly healthcheck?: ResolvedHealthcheck;
  /** tmpfs path -> mount options (`rw,noexec,nosuid,nodev,size=64m`). */
  readonly tmpfs: Readonly<Record<string, string>>;
  readonly mounts: readonly {
    type: "bind" | "volume";
    source: string;
    target: string;
    readOnly: boolean;
  }[];
  readonly capAdd: readonly string[];
  readonly readOnlyRootfs: boolean;
  readonly securityOpts: readonly string[];
  readonly maxRestarts: number;
  readonly logDriver: string;
  readonly logOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly relaxations: readonly Relaxation[];
}
