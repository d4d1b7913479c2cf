import Docker from "dockerode";
import { EngineClient, engineAddress } from "../../lib/host/engine-client";
import { auditHost } from "../../lib/host/host-audit";
import { hostProcessReader, isLocalEngine } from "../../lib/host/host-process-list";
import { commandLines } from "../../lib/host/read-containers";
import { Finding } from "../../lib/policy/findings";
import { buildLocalImage, removeLocalImage } from "../host/support/busybox-image";
import { docker, sweepSuite, testLabels } from "./support/engine";
import { engineDescribe, engineGate } from "../support/engine-gate";

/**
 * The process lists `audit --host` reads from /proc (lib/host/host-process-list.ts) against the
 * Engine API `top` on the real engine: the same command lines, and the same CIS 5.7 verdicts
 * without a single `top` call. Every container carries io.hardened-docker.test=1 and this suite's
 * label, is named hd-proc-*, and is removed in afterAll (also after failures).
 */

const SUITE = "host-processes";
const PREFIX = "hd-proc";
const IMAGE = "hd-proc-e2e/busybox:1";
const FILTERS = { label: [`io.hardened-docker.test.suite=${SUITE}`] };

/** dockerode, counting the `top` calls made through it. */
function countingTop(client: Docker): { client: EngineClient; tops: () => number } {
  let tops = 0;
  return {
    tops: () => tops,
    client: {
      ping: () => client.ping(),
      info: () => client.info(),
      listContainers: (options) => client.listContainers(options),
      getContainer: (id) => {
        const container = client.getContainer(id);
        return {
          inspect: () => container.inspect(),
          top: (options) => {
            tops += 1;
            return container.top(options);
          },
        };
      },
    },
  };
}

const statuses = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.resource} ${f.ruleId} ${f.status}`).sort();

const gate = engineGate("host process lists", { registry: true });
const address = engineAddress();
/** The /proc path needs the engine on this machine; through tcp:// or ssh:// it is never used. */
const local = isLocalEngine(address) && process.platform === "linux";

engineDescribe("host process lists", gate)(
  "process lists read from /proc on the local engine",
  () => {
    const ids: Record<string, string> = {};

    async function start(name: string, cmd: string[]): Promise<void> {
      const container = await docker().createContainer({
        name: `${PREFIX}-${name}`,
        Image: IMAGE,
        Cmd: cmd,
        Labels: testLabels(SUITE),
        HostConfig: { Memory: 32 * 1024 * 1024 },
      });
      await container.start();
      ids[name] = container.id;
    }

    async function initPid(name: string): Promise<number> {
      const inspect = await docker()
        .getContainer(ids[name] as string)
        .inspect();
      return inspect.State.Pid;
    }

    beforeAll(async () => {
      await sweepSuite(SUITE);
      await buildLocalImage(IMAGE);
      await start("sleepers", ["sh", "-c", "sleep 1000 & sleep 1001"]);
      // sh stays (it has a command after the last one), with arguments ps rewrites.
      await start("odd", ["sh", "-c", "sleep 1002 & sleep 1003; true", "a  b\tc", "x\ny", " "]);
      // The image's /usr/sbin/sshd is a shell script: "/bin/sh /usr/sbin/sshd -D".
      await start("sshd", ["/usr/sbin/sshd", "-D"]);
    }, 120_000);

    afterAll(async () => {
      try {
        await sweepSuite(SUITE);
      } finally {
        await removeLocalImage(IMAGE);
      }
    }, 60_000);

    (local ? test : test.skip)(
      "gives each running container the command lines top gives",
      async () => {
        const reader = hostProcessReader(address);
        if (reader === undefined) throw new Error(`no /proc reader for ${address}`);
        for (const name of ["sleepers", "odd", "sshd"]) {
          const id = ids[name] as string;
          const fromHost = await reader.read(id, await initPid(name));
          const fromTop = commandLines(await docker().getContainer(id).top());
          expect({ name, ...fromHost }).toEqual({ name, kind: "read", processes: fromTop });
        }
        const sleepers = await reader.read(ids.sleepers as string, await initPid("sleepers"));
        expect(sleepers.kind === "read" && [...sleepers.processes].sort()).toEqual([
          "sleep 1000",
          "sleep 1001",
        ]);
      },
    );

    (local ? test : test.skip)("falls back when the process is another container's", async () => {
      const reader = hostProcessReader(address);
      const result = await reader?.read(ids.sleepers as string, await initPid("sshd"));
      expect(result).toMatchObject({ kind: "fallback" });
      expect(result?.kind === "fallback" && result.reason).toMatch(
        /does not name the container ID/,
      );
    });

    (local ? test : test.skip)(
      "fails CIS 5.7 for sshd without calling top, with the verdicts top gives",
      async () => {
        const fast = countingTop(docker());
        const viaHost = await auditHost(fast.client, { address, filters: FILTERS });
        expect(fast.tops()).toBe(0);
        const sshd = viaHost.findings.find(
          (f) => f.resource === `container:/${PREFIX}-sshd` && f.ruleId === "CIS-5.7",
        );
        expect(sshd).toMatchObject({
          status: "fail",
          message: expect.stringContaining("/bin/sh /usr/sbin/sshd -D"),
        });
        for (const name of ["sleepers", "odd"]) {
          const finding = viaHost.findings.find(
            (f) => f.resource === `container:/${PREFIX}-${name}` && f.ruleId === "CIS-5.7",
          );
          expect(finding?.status).toBe("pass");
        }

        const slow = countingTop(docker());
        const viaTop = await auditHost(slow.client, {
          address,
          filters: FILTERS,
          hostProcesses: false,
        });
        expect(slow.tops()).toBe(3);
        expect(statuses(viaHost.findings)).toEqual(statuses(viaTop.findings));
        const messages = (findings: readonly Finding[]) =>
          findings.filter((f) => f.ruleId === "CIS-5.7").map((f) => `${f.resource} ${f.message}`);
        expect(messages(viaHost.findings).sort()).toEqual(messages(viaTop.findings).sort());
      },
    );
  },
);
