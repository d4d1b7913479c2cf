import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  cgroupDirectory,
  containerCgroupPath,
  parseCgroupMounts,
  parseProcCgroup,
} from "../../lib/host/cgroup-paths";
import {
  HostProcesses,
  HostProcessReader,
  hostProcessReader,
  isLocalEngine,
  psCommandLine,
} from "../../lib/host/host-process-list";
import { auditHost } from "../../lib/host/host-audit";
import { listContainerSummaries, readContainers } from "../../lib/host/read-containers";
import { isUnknown } from "../../lib/policy/unknown";
import { NOW } from "../policy/rules/support/policy-harness";
import { FakeEngine } from "./support/fake-engine";

/**
 * The /proc reader of process lists (host-process-list.ts) on a fake /proc and /sys tree in a
 * temporary directory, and how read-containers falls back to `top` when it cannot read.
 */

const ID = "a1".repeat(32);
const OTHER_ID = "b2".repeat(32);

/** cgroup v1 as Docker's cgroupfs driver and a hybrid host mount it (the unified line too). */
const V1_MOUNTINFO = [
  "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
  "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
  "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
  "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
  "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
  "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
].join("\n");

/** cgroup v2 only (systemd hosts today). */
const V2_MOUNTINFO = [
  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
  "30 22 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
].join("\n");

function v1Cgroup(cgroupPath: string, controllers = ["pids", "memory", "name=systemd"]): string {
  const lines = controllers.map((c, i) => `${9 - i}:${c}:${cgroupPath}`);
  return [...lines, "1:cpu,cpuacct:" + cgroupPath, `0::${cgroupPath}`, ""].join("\n");
}

const v2Cgroup = (cgroupPath: string) => `0::${cgroupPath}\n`;

interface FakeProcess {
  readonly pid: number;
  /** `/proc/<pid>/cgroup`. */
  readonly cgroup: string;
  /** `/proc/<pid>/cmdline`, NUL-separated. @default `sleep\0<pid>\0` */
  readonly cmdline?: string;
  readonly comm?: string;
}

let roots: string[] = [];

afterEach(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  roots = [];
});

/**
 * A fake root: /proc/self/mountinfo, /proc/<pid>/{cgroup,cmdline,comm} for `processes`, and a
 * cgroup.procs per entry of `cgroups` (directory under the root → PIDs).
 */
async function fakeRoot(
  mountinfo: string,
  processes: readonly FakeProcess[],
  cgroups: Readonly<Record<string, readonly number[]>>,
): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "hd-fake-proc-"));
  roots.push(root);
  await mkdir(path.join(root, "proc", "self"), { recursive: true });
  await writeFile(path.join(root, "proc", "self", "mountinfo"), mountinfo);
  for (const p of processes) {
    const dir = path.join(root, "proc", String(p.pid));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "cgroup"), p.cgroup);
    await writeFile(path.join(dir, "cmdline"), p.cmdline ?? `sleep\0${p.pid}\0`);
    await writeFile(path.join(dir, "comm"), `${p.comm ?? "sleep"}\n`);
  }
  for (const [dir, pids] of Object.entries(cgroups)) {
    await mkdir(path.join(root, dir), { recursive: true });
    await writeFile(path.join(root, dir, "cgroup.procs"), pids.map((p) => `${p}\n`).join(""));
  }
  return root;
}

async function readFrom(root: string, pid: unknown = 100, id = ID): Promise<HostProcesses> {
  const reader = hostProcessReader("unix:///var/run/docker.sock", { root });
  if (reader === undefined) throw new Error("expected a reader for a unix socket");
  return reader.read(id, pid);
}

function expectFallback(result: HostProcesses, reason: RegExp): void {
  expect(result.kind).toBe("fallback");
  if (result.kind === "fallback") expect(result.reason).toMatch(reason);
}

describe("reading a container's processes from /proc", () => {
  it("cgroup v1, cgroupfs driver: the pids controller's /docker/<id>, in PID order", async () => {
    const cgroup = v1Cgroup(`/docker/${ID}`);
    const root = await fakeRoot(
      V1_MOUNTINFO,
      [
        { pid: 100, cgroup, cmdline: "sh\0-c\0sleep 1000 & sleep 1001\0" },
        { pid: 120, cgroup },
        { pid: 105, cgroup, cmdline: "/bin/sh\0/usr/sbin/sshd\0-D\0" },
      ],
      { [`sys/fs/cgroup/pids/docker/${ID}`]: [120, 100, 105] },
    );
    expect(await readFrom(root)).toEqual({
      kind: "read",
      processes: ["sh -c sleep 1000 & sleep 1001", "/bin/sh /usr/sbin/sshd -D", "sleep 120"],
    });
  });

  it("cgroup v1, systemd driver: docker-<id>.scope, from memory when pids is not there", async () => {
    const scope = `/system.slice/docker-${ID}.scope`;
    const cgroup = v1Cgroup(scope, ["memory", "name=systemd"]);
    const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup }], {
      [`sys/fs/cgroup/memory${scope}`]: [100],
    });
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100"] });
  });

  it("cgroup v1, name=systemd only", async () => {
    const cgroup = v1Cgroup(`/docker/${ID}`, ["name=systemd"]);
    const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup }], {
      [`sys/fs/cgroup/systemd/docker/${ID}`]: [100],
    });
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100"] });
  });

  it("cgroup v2, systemd driver, with the processes of child cgroups", async () => {
    const scope = `/system.slice/docker-${ID}.scope`;
    const root = await fakeRoot(
      V2_MOUNTINFO,
      [
        { pid: 100, cgroup: v2Cgroup(`${scope}/init.scope`), cmdline: "/sbin/init\0" },
        { pid: 140, cgroup: v2Cgroup(`${scope}/system.slice/ssh.service`), comm: "sshd" },
        { pid: 141, cgroup: v2Cgroup(scope), cmdline: "sshd: /usr/sbin/sshd -D [listener]\0" },
      ],
      {
        [`sys/fs/cgroup${scope}`]: [141],
        [`sys/fs/cgroup${scope}/init.scope`]: [100],
        [`sys/fs/cgroup${scope}/system.slice`]: [],
        [`sys/fs/cgroup${scope}/system.slice/ssh.service`]: [140],
      },
    );
    expect(await readFrom(root)).toEqual({
      kind: "read",
      processes: ["/sbin/init", "sleep 140", "sshd: /usr/sbin/sshd -D [listener]"],
    });
  });

  it("cgroup v2, cgroupfs driver: /docker/<id>", async () => {
    const root = await fakeRoot(V2_MOUNTINFO, [{ pid: 100, cgroup: v2Cgroup(`/docker/${ID}`) }], {
      [`sys/fs/cgroup/docker/${ID}`]: [100],
    });
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100"] });
  });

  it("finds the cgroup through a mount of a sub-tree (mountinfo root other than /)", async () => {
    const mountinfo = "50 22 0:40 /docker /mnt/cg\\040pids rw - cgroup cgroup rw,pids";
    const root = await fakeRoot(mountinfo, [{ pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) }], {
      [`mnt/cg pids/${ID}`]: [100],
    });
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100"] });
  });

  it("leaves out a process that exited between the listing and the reading", async () => {
    const cgroup = v1Cgroup(`/docker/${ID}`);
    const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup }], {
      [`sys/fs/cgroup/pids/docker/${ID}`]: [100, 101],
    });
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100"] });
  });

  it("shows a process with an empty command line as [comm], as ps does", async () => {
    const cgroup = v1Cgroup(`/docker/${ID}`);
    const root = await fakeRoot(
      V1_MOUNTINFO,
      [
        { pid: 100, cgroup },
        { pid: 101, cgroup, cmdline: "", comm: "sshd" },
      ],
      { [`sys/fs/cgroup/pids/docker/${ID}`]: [100, 101] },
    );
    expect(await readFrom(root)).toEqual({ kind: "read", processes: ["sleep 100", "[sshd]"] });
  });

  describe("falls back to top", () => {
    it("when the init process's cgroup names another container", async () => {
      const root = await fakeRoot(
        V1_MOUNTINFO,
        [{ pid: 100, cgroup: v1Cgroup(`/docker/${OTHER_ID}`) }],
        { [`sys/fs/cgroup/pids/docker/${OTHER_ID}`]: [100] },
      );
      expectFallback(await readFrom(root), /does not name the container ID/);
    });

    it("when the cgroup only has a prefix of the ID, or is the host's", async () => {
      const short = await fakeRoot(
        V2_MOUNTINFO,
        [{ pid: 100, cgroup: v2Cgroup(`/docker/${ID.slice(0, 12)}`) }],
        {},
      );
      expectFallback(await readFrom(short), /does not name the container ID/);
      const host = await fakeRoot(
        V2_MOUNTINFO,
        [{ pid: 100, cgroup: v2Cgroup("/init.scope") }],
        {},
      );
      expectFallback(await readFrom(host), /"\/init.scope" does not name the container ID/);
    });

    it("when there is no /proc/<State.Pid> (another PID namespace)", async () => {
      const root = await fakeRoot(V1_MOUNTINFO, [], {});
      expectFallback(await readFrom(root, 4242), /no \/proc\/4242 here/);
    });

    it("when the inspection has no usable State.Pid or ID", async () => {
      const root = await fakeRoot(V1_MOUNTINFO, [], {});
      expectFallback(await readFrom(root, 0), /no State.Pid/);
      expectFallback(await readFrom(root, "100"), /no State.Pid/);
      expectFallback(await readFrom(root, 100, ID.slice(0, 12)), /not a full container ID/);
    });

    it("when a listed process is in another cgroup as /proc sees it", async () => {
      const root = await fakeRoot(
        V1_MOUNTINFO,
        [
          { pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) },
          { pid: 101, cgroup: v1Cgroup("/user.slice") },
        ],
        { [`sys/fs/cgroup/pids/docker/${ID}`]: [100, 101] },
      );
      expectFallback(
        await readFrom(root),
        /process 101, listed in its cgroup, is in "\/user.slice"/,
      );
    });

    it("when a process is in a PID namespace this one cannot see (PID 0)", async () => {
      const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) }], {
        [`sys/fs/cgroup/pids/docker/${ID}`]: [0, 100],
      });
      expectFallback(await readFrom(root), /PID namespace this process cannot see/);
    });

    it("when the init process is not in the cgroup's listing", async () => {
      const cgroup = v1Cgroup(`/docker/${ID}`);
      const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup }], {
        [`sys/fs/cgroup/pids/docker/${ID}`]: [],
      });
      expectFallback(await readFrom(root), /init process 100 is not listed/);
    });

    it("when no fitting cgroup hierarchy is mounted", async () => {
      const mountinfo = "31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu";
      const root = await fakeRoot(mountinfo, [{ pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) }], {});
      expectFallback(await readFrom(root), /is mounted where this process can see it/);
    });

    it("when a file cannot be read for another reason than the process exiting", async () => {
      const cgroup = v1Cgroup(`/docker/${ID}`);
      const root = await fakeRoot(V1_MOUNTINFO, [{ pid: 100, cgroup }], {});
      // A directory where cgroup.procs should be: EISDIR, as EACCES would be, is not "exited".
      await mkdir(path.join(root, `sys/fs/cgroup/pids/docker/${ID}/cgroup.procs`), {
        recursive: true,
      });
      expectFallback(await readFrom(root), /EISDIR/);
    });

    it("when the cgroup's directory is not there", async () => {
      const root = await fakeRoot(
        V1_MOUNTINFO,
        [{ pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) }],
        {},
      );
      expectFallback(await readFrom(root), /ENOENT/);
    });

    it("when /proc/self/mountinfo cannot be read", async () => {
      const root = await fakeRoot("", [{ pid: 100, cgroup: v1Cgroup(`/docker/${ID}`) }], {});
      await rm(path.join(root, "proc", "self", "mountinfo"));
      await symlink("/nonexistent", path.join(root, "proc", "self", "mountinfo"));
      expectFallback(await readFrom(root), /ENOENT/);
    });
  });

  it("is only used for a local engine", () => {
    expect(isLocalEngine("unix:///var/run/docker.sock")).toBe(true);
    expect(isLocalEngine("unix:///run/user/1000/docker.sock")).toBe(true);
    expect(isLocalEngine("tcp://10.0.0.5:2376")).toBe(false);
    expect(isLocalEngine("ssh://admin@build-host")).toBe(false);
    expect(hostProcessReader("tcp://127.0.0.1:2375", { root: "/" })).toBeUndefined();
    expect(hostProcessReader("unix:///var/run/docker.sock", { root: "/" })).toBeDefined();
  });
});

describe("command lines as ps (and so top) writes them", () => {
  const line = (text: string) => psCommandLine(Buffer.from(text, "utf8"));

  // Each expectation was checked against `docker top` on Docker Engine 20.10 (procps 4.0.2).
  it("separates arguments by one space and drops trailing NULs", () => {
    expect(line("sleep\x001000\x00")).toBe("sleep 1000");
    expect(line("sh\0-c\0a  b\0")).toBe("sh -c a b");
    expect(line("  lead\0tail  \0")).toBe("lead tail");
  });

  it("turns a newline into a space and other control characters into ?", () => {
    expect(line("x\nsshd\0")).toBe("x sshd");
    expect(line("t\tab\0c\r\v\fsshd\0d\x7f\u0085e\0")).toBe("t?ab c???sshd d??e");
    expect(line("b\u2028sshd\0c\u2029d\0")).toBe("b?sshd c?d");
  });

  it("keeps other characters, including non-breaking spaces", () => {
    expect(line("a\u00a0sshd\0x\u3000y\0é\0")).toBe("a\u00a0sshd x\u3000y é");
  });

  it("is undefined for an empty command line (a zombie, or a cleared argv)", () => {
    expect(psCommandLine(Buffer.alloc(0))).toBeUndefined();
    expect(psCommandLine(Buffer.from([0, 0]))).toBeUndefined();
  });
});

describe("cgroup paths", () => {
  it("parses /proc/<pid>/cgroup of v1, hybrid and v2 hosts", () => {
    expect(parseProcCgroup("12:pids:/docker/x\n1:name=systemd:/a:b\n0::/c\ngarbage\n")).toEqual([
      { controllers: ["pids"], unified: false, path: "/docker/x" },
      { controllers: ["name=systemd"], unified: false, path: "/a:b" },
      { controllers: [], unified: true, path: "/c" },
    ]);
  });

  it("keeps only the cgroup mounts of mountinfo", () => {
    expect(parseCgroupMounts(V1_MOUNTINFO).map((m) => m.mountPoint)).toEqual([
      "/sys/fs/cgroup/cpu,cpuacct",
      "/sys/fs/cgroup/memory",
      "/sys/fs/cgroup/pids",
      "/sys/fs/cgroup/systemd",
      "/sys/fs/cgroup/unified",
    ]);
  });

  it("finds the container's cgroup in a process's path", () => {
    expect(containerCgroupPath(`/docker/${ID}`, ID)).toBe(`/docker/${ID}`);
    expect(containerCgroupPath(`/system.slice/docker-${ID}.scope/init.scope`, ID)).toBe(
      `/system.slice/docker-${ID}.scope`,
    );
    expect(containerCgroupPath(`/docker/${ID}x`, ID)).toBeUndefined();
    expect(containerCgroupPath(`/libpod-${ID}.scope`, ID)).toBeUndefined();
  });

  it("maps a cgroup to its directory only when the mount shows it", () => {
    const mount = { unified: true, controllers: [], root: "/docker", mountPoint: "/cg" };
    expect(cgroupDirectory(mount, `/docker/${ID}`)).toBe(`/cg/${ID}`);
    expect(cgroupDirectory(mount, "/dockerx/1")).toBeUndefined();
    expect(cgroupDirectory({ ...mount, root: "/" }, `/../docker/${ID}`)).toBeUndefined();
  });
});

/** A reader that answers from a table and records what it was asked. */
class TableReader implements HostProcessReader {
  readonly asked: [string, unknown][] = [];
  constructor(private readonly answers: Readonly<Record<string, HostProcesses>>) {}
  async read(containerId: string, initPid: unknown): Promise<HostProcesses> {
    this.asked.push([containerId, initPid]);
    return this.answers[containerId] ?? { kind: "fallback", reason: "not in the table" };
  }
}

describe("reading containers with a host process reader", () => {
  const ADDRESS = "unix:///fake.sock";
  const idA = "0a".repeat(32);
  const idB = "0b".repeat(32);

  async function read(engine: FakeEngine, reader: HostProcessReader) {
    const summaries = await listContainerSummaries(engine, {
      all: true,
      filters: {},
      address: ADDRESS,
    });
    return readContainers(engine, summaries, { address: ADDRESS, hostProcesses: reader });
  }

  it("uses the host's list, and top only for the containers it could not read", async () => {
    const engine = new FakeEngine([
      { name: "fast", id: idA, inspect: { State: { Running: true, Pid: 4242 } } },
      { name: "slow", id: idB, processes: ["/usr/sbin/sshd -D"] },
      { name: "down", running: false },
    ]);
    const reader = new TableReader({ [idA]: { kind: "read", processes: ["sleep 1"] } });
    const { reads } = await read(engine, reader);
    expect(reader.asked).toEqual([
      [idA, 4242],
      [idB, undefined],
    ]);
    expect(engine.calls.top).toBe(1);
    expect(reads.map((r) => r.kind === "inspected" && r.processes)).toEqual([
      ["sleep 1"],
      ["/usr/sbin/sshd -D"],
      undefined,
    ]);
  });

  it("never passes CIS 5.7 on a fallback: a refused top still gives unknown", async () => {
    const engine = new FakeEngine([{ name: "stopping", id: idA, stoppedBeforeTop: true }]);
    const { reads } = await read(engine, new TableReader({}));
    const only = reads[0];
    expect(only?.kind === "inspected" && isUnknown(only.processes)).toBe(true);
  });

  it("auditHost fails CIS 5.7 on sshd found by the host reader, without top", async () => {
    const engine = new FakeEngine([{ name: "ssh", id: idA }]);
    const reader = new TableReader({
      [idA]: { kind: "read", processes: ["sleep 3600", "/usr/sbin/sshd -D"] },
    });
    const { findings } = await auditHost(engine, {
      address: ADDRESS,
      now: NOW,
      hostProcesses: reader,
    });
    expect(engine.calls.top).toBe(0);
    expect(findings.find((f) => f.ruleId === "CIS-5.7")?.status).toBe("fail");
  });

  it("auditHost does not read processes at all with processes: false", async () => {
    const engine = new FakeEngine([{ name: "ssh", id: idA }]);
    const reader = new TableReader({ [idA]: { kind: "read", processes: ["/usr/sbin/sshd"] } });
    const { findings } = await auditHost(engine, {
      address: ADDRESS,
      now: NOW,
      processes: false,
      hostProcesses: reader,
    });
    expect(reader.asked).toEqual([]);
    expect(engine.calls.top).toBe(0);
    expect(findings.find((f) => f.ruleId === "CIS-5.7")?.status).toBe("not-applicable");
  });

  it("auditHost uses top only with hostProcesses: false", async () => {
    const engine = new FakeEngine([{ name: "ssh", id: idA, processes: ["/usr/sbin/sshd -D"] }]);
    const { findings } = await auditHost(engine, {
      address: ADDRESS,
      now: NOW,
      hostProcesses: false,
    });
    expect(engine.calls.top).toBe(1);
    expect(findings.find((f) => f.ruleId === "CIS-5.7")?.status).toBe("fail");
  });
});
