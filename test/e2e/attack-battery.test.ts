import { spawnSync } from "node:child_process";
import { DANGEROUS_SYSCALLS, SeccompProfile } from "../../lib/policy/seccomp";
import { AttackRow, publishAttackTable, renderAttackTable, tally } from "./support/attack-table";
import {
  ALLOC_MIB,
  ATTEMPTS,
  Attempt,
  CONTROLS,
  ControlName,
  FORK_HOLD_SECONDS,
  FORK_TARGET,
  Outcome,
  allocOutcome,
  attemptNumbers,
  cgroupOutcome,
  forkCommand,
  forkOutcome,
  parseCgroupLimits,
  probeOutcome,
  setuidOutcome,
} from "./support/attacks";
import { startControl } from "./support/controls";
import { docker, execIn, pollUntil, processesOf, sweepSuite, testLabels } from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { buildE2EImages, removeE2EImages } from "./support/images";
import { probeStack } from "./support/hardened-probe";
import { TerraformDeployer } from "../support/terraform-deploy";

const SUITE = "attack-battery";
const STACK = "hd-e2e-attack-battery";
const MIB = 1024 * 1024;

describe("the attack catalogue (no engine needed)", () => {
  test("covers each of the fourteen attempts of the issue, in at least one row", () => {
    expect(attemptNumbers()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(new Set(ATTEMPTS.map((a) => a.id)).size).toBe(ATTEMPTS.length);
  });

  test("tests keyctl, add_key, ptrace and bpf among the denied syscalls", () => {
    const syscalls = ATTEMPTS.filter((a) => a.id.startsWith("9")).map((a) => a.command[2]);
    expect(syscalls).toEqual(expect.arrayContaining(["keyctl", "add_key", "ptrace", "bpf"]));
  });

  test("explains every control that is not Docker's default", () => {
    for (const attempt of ATTEMPTS) {
      if (attempt.control !== "docker-default") expect(attempt.controlWhy).toMatch(/\w{4,}/);
    }
  });

  test("reads a probe result only when the exit code agrees with it", () => {
    expect(
      probeOutcome({ exitCode: 1, output: "RESULT mknod blocked mknod c 1 1: errno=1 (x)\n" }),
    ).toEqual({ verdict: "blocked", detail: "mknod c 1 1: errno=1 (x)", errno: 1 });
    expect(
      probeOutcome({ exitCode: 0, output: "RESULT mknod blocked mknod: errno=1 (x)\n" }).verdict,
    ).toBe("error");
    expect(probeOutcome({ exitCode: 126, output: "exec failed" }).verdict).toBe("error");
  });

  test("counts an OOM kill (exit 137 without a result) as the memory limit at work", () => {
    expect(allocOutcome({ exitCode: 137, output: "" }).verdict).toBe("blocked");
    expect(allocOutcome({ exitCode: 137, output: "RESULT alloc succeeded x\n" }).verdict).toBe(
      "error",
    );
  });

  test("counts the setuid attempt as successful only with euid 0", () => {
    const gained = "SUID ruid=65534 euid=0 suid=0 setuid0=ok after_uid=0 after_euid=0\n";
    const kept =
      "SUID ruid=65534 euid=65534 suid=65534 setuid0=failed:x after_uid=65534 after_euid=65534\n";
    expect(setuidOutcome({ exitCode: 0, output: gained }).verdict).toBe("succeeded");
    expect(setuidOutcome({ exitCode: 1, output: kept }).verdict).toBe("blocked");
  });

  test("reads cgroup v1 and v2 limits", () => {
    const v1 = [
      "/sys/fs/cgroup/cpu/cpu.cfs_quota_us=50000",
      "/sys/fs/cgroup/cpu/cpu.cfs_period_us=100000",
      "/sys/fs/cgroup/pids/pids.max=128",
    ].join("\n");
    expect(parseCgroupLimits(v1)).toMatchObject({ cpus: 0.5, pids: 128 });
    const v2 = "/sys/fs/cgroup/cpu.max=max 100000\n/sys/fs/cgroup/pids.max=max\n";
    expect(parseCgroupLimits(v2)).toMatchObject({ cpus: undefined, pids: undefined });
    expect(cgroupOutcome({ exitCode: 0, output: v2 }).verdict).toBe("succeeded");
    expect(cgroupOutcome({ exitCode: 0, output: v1 }).verdict).toBe("blocked");
  });
});

const gate = engineGate("attack battery", { registry: true, terraform: true });

engineDescribe("attack battery", gate)(
  "attack battery: HardenedContainer defaults against Docker-default controls",
  () => {
    let deployer: TerraformDeployer | undefined;
    let hardenedId = "";
    const controlIds = new Map<ControlName, string>();
    const rows: AttackRow[] = [];
    /** Measurements printed under the table. */
    const notes: string[] = [];
    const started = Date.now();

    beforeAll(async () => {
      await sweepSuite(SUITE);
      const images = await buildE2EImages();
      deployer = new TerraformDeployer(SUITE);
      const deployed = await deployer.apply(probeStack(STACK, images.probe));
      hardenedId = await deployed.onlyId("docker_container");
      const needed = new Set<ControlName>(["docker-default", ...ATTEMPTS.map((a) => a.control)]);
      await Promise.all(
        [...needed].map(async (name) => {
          controlIds.set(name, await startControl(CONTROLS[name], images.probe, SUITE));
        }),
      );
      await pollUntil(
        "the hardened probe container to run",
        async () =>
          (await docker().getContainer(hardenedId).inspect()).State.Running ? 1 : undefined,
        15_000,
      );
    }, 180_000);

    afterAll(async () => {
      const t = tally(rows);
      publishAttackTable(
        [
          renderAttackTable(rows, [
            "Attack battery: HardenedContainer defaults (synthesized, deployed with terraform apply) vs controls",
            `Engine: Docker ${(await docker().version()).Version}; ${deployer?.describeTools() ?? "not deployed"}; ${rows.length} rows for ${t.attempts} attempts; ` +
              `${((Date.now() - started) / 1000).toFixed(1)} s`,
          ]),
          "",
          "Measurements:",
          ...notes.map((n) => `  ${n}`),
        ].join("\n"),
      );
      try {
        await deployer?.destroyAll();
      } finally {
        await sweepSuite(SUITE);
        await removeE2EImages();
      }
    }, 120_000);

    async function attempt(containerId: string, a: Attempt): Promise<Outcome> {
      const result = await execIn(containerId, a.command, {
        timeoutMs: 60_000,
        ...(a.user !== undefined ? { user: a.user } : {}),
      });
      return (a.interpret ?? probeOutcome)(result);
    }

    async function runRow(a: Attempt, hardened: Outcome): Promise<AttackRow> {
      const t0 = Date.now();
      const control = await attempt(controlIds.get(a.control) as string, a);
      const dockerDefault =
        a.control === "docker-default"
          ? undefined
          : await attempt(controlIds.get("docker-default") as string, a);
      const row: AttackRow = {
        attempt: a,
        hardened,
        control,
        ...(dockerDefault ? { dockerDefault } : {}),
        seconds: (Date.now() - t0) / 1000,
      };
      rows.push(row);
      return row;
    }

    /** The common assertions: blocked (with the right errno) in hardened, succeeded in control. */
    function expectBlockedAndControlSucceeded(row: AttackRow): void {
      expect({
        id: row.attempt.id,
        hardened: row.hardened.verdict,
        detail: row.hardened.detail,
      }).toEqual({ id: row.attempt.id, hardened: "blocked", detail: row.hardened.detail });
      if (row.attempt.hardenedErrno !== undefined) {
        expect({ id: row.attempt.id, errno: row.hardened.errno }).toEqual({
          id: row.attempt.id,
          errno: row.attempt.hardenedErrno,
        });
      }
      expect({
        id: row.attempt.id,
        control: row.control.verdict,
        detail: row.control.detail,
      }).toEqual({ id: row.attempt.id, control: "succeeded", detail: row.control.detail });
    }

    const byId = (id: string): Attempt => ATTEMPTS.find((a) => a.id === id) as Attempt;
    const simpleIds = ["1", "4", "5", "6", "7", "8", "10", "11", "12", "13"];

    test.each(simpleIds.map((id) => [id, byId(id).title]))(
      "%s. %s: blocked in the hardened container, succeeds in its control",
      async (id) => {
        const a = byId(id);
        const row = await runRow(a, await attempt(hardenedId, a));
        expectBlockedAndControlSucceeded(row);
      },
      90_000,
    );

    test("6. the setuid attempt keeps the hardened user's euid 65534 and gives the control euid 0", () => {
      const row = rows.find((r) => r.attempt.id === "6");
      expect(row?.hardened.detail).toMatch(/euid stays 65534/);
      expect(row?.control.detail).toMatch(/ruid=65534 euid=0/);
    });

    test("2. a fork bomb stops at the PIDs limit while the host can still fork", async () => {
      const a = byId("2");
      let hostFork: { status: number | null; stdout: string } | undefined;
      const result = await execIn(hardenedId, a.command, {
        timeoutMs: 60_000,
        onOutput: (soFar) => {
          if (hostFork === undefined && soFar.includes("REACHED")) {
            // The hardened container's processes are all still alive (the probe holds them).
            const r = spawnSync("sh", ["-c", "echo host-can-fork"], { encoding: "utf8" });
            hostFork = { status: r.status, stdout: r.stdout };
          }
        },
      });
      const hardened = forkOutcome(result);
      const row = await runRow(a, hardened);
      expectBlockedAndControlSucceeded(row);
      const reached = Number(/REACHED (\d+) of/.exec(result.output)?.[1]);
      // The limit is 128 tasks, including the container's init, its command and the probe.
      expect(reached).toBeGreaterThanOrEqual(100);
      expect(reached).toBeLessThan(128);
      // The PIDs cgroup stopped it (there is no nproc ulimit, which is per uid across the host).
      expect(hardened.pidsCgroupRefusals).toBeGreaterThanOrEqual(1);
      notes.push(
        `fork bomb: hardened stopped after ${reached} processes; the host forked meanwhile: ` +
          `${hostFork?.status === 0 ? "yes" : "NO"}`,
      );
      expect(hostFork).toEqual({ status: 0, stdout: "host-can-fork\n" });
      expect(row.control.detail).toMatch(new RegExp(`^${FORK_TARGET} processes forked`));
      // No process of either attempt is left behind.
      for (const id of [hardenedId, controlIds.get("docker-default") as string]) {
        expect((await processesOf(id)).filter((p) => p.includes("probe fork"))).toEqual([]);
      }
    }, 120_000);

    test("2c. a container holding its whole PIDs budget leaves a neighbour of the same uid free to fork", async () => {
      // A neighbour configured as the hardened container is (user, ulimits, PIDs limit, image).
      // With an nproc ulimit (per uid across the host) the neighbour could not fork at all while
      // the hardened container held its processes (seen here: "can't fork: Resource temporarily
      // unavailable"); with the PIDs cgroup alone each container has its own budget.
      const hardened = await docker().getContainer(hardenedId).inspect();
      const hc = hardened.HostConfig as typeof hardened.HostConfig & { PidsLimit?: number | null };
      const neighbour = await docker().createContainer({
        name: `hd-e2e-${SUITE}-neighbour`,
        Image: hardened.Config.Image,
        User: hardened.Config.User,
        Cmd: ["sleep", "600"],
        Labels: testLabels(SUITE),
        HostConfig: {
          Ulimits: hc.Ulimits ?? [],
          PidsLimit: hc.PidsLimit ?? 0,
          ReadonlyRootfs: true,
        },
      });
      try {
        await neighbour.start();
        expect(hardened.Config.User).toBe("65534:65534");
        let neighbourFork: ReturnType<typeof spawnSync> | undefined;
        const result = await execIn(hardenedId, forkCommand(FORK_TARGET, FORK_HOLD_SECONDS), {
          timeoutMs: 60_000,
          onOutput: (soFar) => {
            if (neighbourFork === undefined && soFar.includes("REACHED")) {
              // The hardened container's processes are all alive (the probe holds them).
              neighbourFork = spawnSync(
                "docker",
                ["exec", neighbour.id, "/usr/local/bin/probe", "fork", "20", "0"],
                { encoding: "utf8" },
              );
            }
          },
        });
        expect(forkOutcome(result).verdict).toBe("blocked");
        expect(neighbourFork).toBeDefined();
        const outcome = probeOutcome({
          exitCode: neighbourFork?.status ?? -1,
          output: String(neighbourFork?.stdout ?? "") + String(neighbourFork?.stderr ?? ""),
        });
        expect([outcome.verdict, outcome.detail]).toEqual([
          "succeeded",
          expect.stringMatching(/^20 processes forked/),
        ]);
        notes.push(
          `neighbour of the same uid while the hardened container held ${/REACHED (\d+) of/.exec(result.output)?.[1]} processes: ${outcome.detail}`,
        );
      } finally {
        await neighbour.remove({ force: true });
      }
    }, 120_000);

    test("2b. as another uid than the container's, the PIDs cgroup limit refuses the forks too", async () => {
      const a = byId("2b");
      const row = await runRow(a, await attempt(hardenedId, a));
      expectBlockedAndControlSucceeded(row);
      // pids.events counts forks refused by the PIDs cgroup (set by the `docker update` step).
      expect(row.hardened.pidsCgroupRefusals).toBeGreaterThanOrEqual(1);
      expect(row.control.pidsCgroupRefusals).toBe(0);
      expect(row.control.detail).toMatch(new RegExp(`^${FORK_TARGET} processes forked`));
    }, 120_000);

    test.each(
      ATTEMPTS.filter((a) => a.id.startsWith("9")).map((a) => [a.id, a.command[2], a.title]),
    )(
      "%s. syscall %s: refused by the shipped seccomp profile, works in its control",
      async (id, syscall) => {
        const a = byId(id);
        // The shipped profile denies it (so EPERM is the profile's doing, not chance)...
        expect(SeccompProfile.hardenedDefault().denies(syscall)).toBe(true);
        expect(DANGEROUS_SYSCALLS).toContain(syscall);
        const row = await runRow(a, await attempt(hardenedId, a));
        expectBlockedAndControlSucceeded(row);
      },
      90_000,
    );

    test("9. the hardened container runs under the inline shipped profile, the control under Docker's", async () => {
      const hardened = await docker().getContainer(hardenedId).inspect();
      expect(hardened.HostConfig.SecurityOpt).toContain(
        `seccomp=${SeccompProfile.hardenedDefault().toJson()}`,
      );
      const status = await execIn(hardenedId, ["grep", "^Seccomp:", "/proc/self/status"]);
      expect(status.output).toMatch(/^Seccomp:\s+2$/m);
    });

    test("14. the hardened cgroup has a 0.5 CPU quota and 128 PIDs; the control has neither", async () => {
      const a = byId("14");
      const row = await runRow(a, await attempt(hardenedId, a));
      expectBlockedAndControlSucceeded(row);
      expect(row.hardened.detail).toMatch(
        /cfs_quota_us=50000 cpu\.cfs_period_us=100000|cpu\.max=50000 100000/,
      );
      expect(row.hardened.detail).toMatch(/pids.max=128$/);
      const inspect = await docker().getContainer(hardenedId).inspect();
      expect(inspect.HostConfig.PidsLimit).toBe(128);
      expect(inspect.HostConfig.CpuQuota).toBe(50_000);
      // The quota is enforced, not only written: two busy workers get at most about half a CPU.
      const burn = await execIn(hardenedId, ["/usr/local/bin/probe", "cpu", "2", "1500"]);
      const ratio = Number(/ratio=([\d.]+)/.exec(burn.output)?.[1]);
      notes.push(`CPU: 2 busy workers for 1.5 s in the hardened container got ${ratio} CPU`);
      expect(ratio).toBeGreaterThan(0.1);
      expect(ratio).toBeLessThan(0.65);
    }, 60_000);

    test(`3. touching ${ALLOC_MIB} MiB gets the hardened probe OOM-killed (256 MiB, no swap); the control gets it`, async () => {
      const inspect = await docker().getContainer(hardenedId).inspect();
      expect(inspect.HostConfig.Memory).toBe(256 * MIB);
      expect(inspect.HostConfig.MemorySwap).toBe(inspect.HostConfig.Memory);
      const control = await docker()
        .getContainer(controlIds.get("docker-default") as string)
        .inspect();
      expect(control.HostConfig.Memory).toBe(0);
      const a = byId("3");
      const row = await runRow(a, await attempt(hardenedId, a));
      expectBlockedAndControlSucceeded(row);
      expect(row.control.detail).toBe(`allocated and touched ${ALLOC_MIB} MiB`);
      // Only the probe died: the container itself is still running.
      expect((await docker().getContainer(hardenedId).inspect()).State.Running).toBe(true);
    }, 90_000);

    test("in total: 14/14 attempts blocked in the hardened container, 14/14 succeeded in their controls", () => {
      expect(rows.map((r) => r.attempt.id).sort()).toEqual(ATTEMPTS.map((a) => a.id).sort());
      for (const row of rows) {
        expect(row.dockerDefault !== undefined).toBe(row.attempt.control !== "docker-default");
      }
      expect(tally(rows)).toEqual({ attempts: 14, hardenedBlocked: 14, controlSucceeded: 14 });
    });
  },
);
