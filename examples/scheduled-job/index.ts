import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Clock, HardenedContainer } from "cdktf-hardened-docker";

/** Inputs of {@link ScheduledJobStack}. */
export interface ScheduledJobStackProps {
  /** The image, pinned by digest (`name@sha256:<64 hex>`). */
  readonly image: string;
  /**
   * The last day it may run (`YYYY-MM-DD`, at most a year ahead): a fixed date in your code, so
   * a reviewer sees it coming. Changing it replaces the container.
   */
  readonly expires: string;
  /** @default read by the constructs from the environment (GITHUB_ACTOR, USER, ...) */
  readonly deployedBy?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /**
   * The job's command line, run once per interval by a shell loop in the container.
   * @default ["sh", "-c", "date"] - a stand-in; put your job here
   */
  readonly job?: readonly string[];
  /**
   * Seconds between runs.
   * @default 3600
   */
  readonly intervalSeconds?: number;
}

/**
 * A scheduled job. Docker has no scheduler of its own, so the schedule lives in the container: a
 * shell loop runs the job, records the time of the last successful run in /tmp/last-run, and
 * sleeps. The health check fails when that record is older than the interval allows, so a job
 * that hangs or keeps failing shows as unhealthy; if the loop itself dies, Docker restarts it at
 * most 5 times (CIS 5.15). No network at all, a small memory and PIDs budget.
 */
export class ScheduledJobStack extends TerraformStack {
  public readonly job: HardenedContainer;

  constructor(scope: Construct, id: string, props: ScheduledJobStackProps) {
    super(scope, id);
    new DockerProvider(this, "docker", {});
    const interval = props.intervalSeconds ?? 3600;
    const job = (props.job ?? ["sh", "-c", "date"]).map(shellQuote).join(" ");
    this.job = new HardenedContainer(this, "job", {
      image: props.image,
      audit: {
        owner: "data-team",
        purpose: "rotates the export files on a schedule",
        expires: props.expires,
        deployedBy: props.deployedBy,
        ticket: "DATA-77",
      },
      command: [
        "sh",
        "-c",
        // The shell is PID 1's child (init: true) and waits on `sleep` in the background so the
        // TERM of `docker stop` ends it at once instead of after the 10 s grace period.
        `trap 'exit 0' TERM; while true; do if ${job}; then date > /tmp/last-run; fi; ` +
          `sleep ${interval} & wait $!; done`,
      ],
      resources: { memoryMiB: 64, cpus: 0.25, pids: 32 },
      tmpSizeMiB: 16,
      healthcheck: {
        // Healthy while the last successful run is younger than two intervals.
        test: [
          "CMD",
          "sh",
          "-c",
          `test -f /tmp/last-run && test $(( $(date +%s) - $(date -r /tmp/last-run +%s) )) -lt ${2 * interval}`,
        ],
        intervalSeconds: 5,
        startPeriodSeconds: 2,
      },
      clock: props.clock,
    });
  }
}

/** Quotes one argument for `sh -c`. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
