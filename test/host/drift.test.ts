import {
  compareModels,
  detectDrift,
  driftReportSchema,
  hasDrift,
  renderDriftText,
} from "../../lib/host/drift";
import { modelFromInspect } from "../../lib/host/inspect";
import { fixture, modelOf } from "../policy/rules/support/policy-harness";
import { compliantInspect } from "../policy/rules/support/inspect-fixtures";
import { FakeContainer, FakeEngine, socketError } from "./support/fake-engine";
import { synthService } from "../support/swarm-synth";

const ADDRESS = "unix:///fake.sock";
/** compliant.tf.json declares docker_container.api_container_1A2B3C4D named "api". */
const STACK = { name: "payments", json: fixture("compliant.tf.json") };
const RESOURCE = "docker_container.api_container_1A2B3C4D";

async function driftOf(containers: FakeContainer[], stacks = [STACK]) {
  const engine = new FakeEngine(containers);
  return detectDrift(engine, stacks, { address: ADDRESS });
}

describe("compareModels", () => {
  it("finds no difference between a configuration and the container it created", () => {
    const result = compareModels(
      modelOf(fixture("compliant.tf.json")),
      modelFromInspect(compliantInspect()),
    );
    expect(result).toEqual({ differences: [], unverifiable: [] });
  });

  // A deploy by someone else leaves the container in place (lib/audit/label-lifecycle.ts), so the
  // live deployed-by names who created it and the synthesized one who synthesized last.
  it("accepts any non-empty deployed-by on the live container, and reports it missing", () => {
    const synthesized = modelOf(fixture("compliant.tf.json"));
    const wantLabels = synthesized.labels as Record<string, string>;
    const withDeployer = (labels: Record<string, string>, who: string | undefined) => {
      const next = { ...labels };
      if (who === undefined) delete next["io.hardened-docker.deployed-by"];
      else next["io.hardened-docker.deployed-by"] = who;
      return next;
    };
    const live = modelFromInspect(compliantInspect());
    const liveLabels = live.labels as Record<string, string>;
    const want = { ...synthesized, labels: withDeployer(wantLabels, "bob") };
    expect(
      compareModels(want, { ...live, labels: withDeployer(liveLabels, "alice") }).differences,
    ).toEqual([]);
    expect(
      compareModels(want, { ...live, labels: withDeployer(liveLabels, undefined) }).differences,
    ).toEqual([
      {
        field: "labels[io.hardened-docker.deployed-by]",
        synthesized: '"bob"',
        live: expect.any(String),
      },
    ]);
  });

  it("names each changed setting with both values; lists as what was added or removed", () => {
    const live = compliantInspect();
    const host = live.HostConfig as Record<string, unknown>;
    Object.assign(host, {
      Memory: 536_870_912,
      CapAdd: ["NET_ADMIN"],
      PidsLimit: 0,
      ReadonlyRootfs: false,
    });
    const { differences } = compareModels(
      modelOf(fixture("compliant.tf.json")),
      modelFromInspect(live),
    );
    expect(differences).toEqual([
      { field: "capabilities.add", synthesized: "[]", live: 'added on the host: ["NET_ADMIN"]' },
      { field: "read_only", synthesized: "true", live: "false" },
      { field: "memory (bytes)", synthesized: "268435456", live: "536870912" },
      { field: "pids_limit", synthesized: "128", live: "(not set)" },
    ]);
  });

  it("shows a seccomp profile as its length and hash, not kilobytes of JSON", () => {
    const live = compliantInspect();
    (live.HostConfig as Record<string, unknown>).SecurityOpt = [
      "no-new-privileges:true",
      `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW", syscalls: [{ names: ["ptrace"], action: "SCMP_ACT_ALLOW" }] })}`,
    ];
    const { differences } = compareModels(
      modelOf(fixture("compliant.tf.json")),
      modelFromInspect(live),
    );
    expect(differences).toHaveLength(1);
    expect(differences[0].field).toBe("security_opts");
    expect(differences[0].live).toMatch(
      /^missing on the host: \["seccomp=<\d+ chars, sha256 [0-9a-f]{12}>"\]; added on the host: \["seccomp=<\d+ chars, sha256 [0-9a-f]{12}>"\]$/,
    );
  });

  it("reports changed and removed labels, and relaxation labels added on the host", () => {
    const live = compliantInspect();
    const config = live.Config as Record<string, unknown>;
    config.Labels = {
      ...(config.Labels as Record<string, string>),
      "io.hardened-docker.owner": "someone-else",
      "io.hardened-docker.relaxation.runAsRoot": "added by hand on the host at 3am",
      "io.hardened-docker.relaxation.runAsRoot.rules": "CIS-4.1",
      "org.opencontainers.image.version": "1.2",
    };
    delete (config.Labels as Record<string, string>)["io.hardened-docker.purpose"];
    const { differences } = compareModels(
      modelOf(fixture("compliant.tf.json")),
      modelFromInspect(live),
    );
    expect(differences.map((d) => [d.field, d.synthesized, d.live])).toEqual([
      ["labels[io.hardened-docker.owner]", '"payments-team"', '"someone-else"'],
      ["labels[io.hardened-docker.purpose]", '"public REST API"', "(not set)"],
      [
        "labels[io.hardened-docker.relaxation.runAsRoot]",
        "(not set)",
        '"added by hand on the host at 3am"',
      ],
      ["labels[io.hardened-docker.relaxation.runAsRoot.rules]", "(not set)", '"CIS-4.1"'],
    ]);
  });

  it("lists settings it cannot compare instead of calling them equal", () => {
    const live = compliantInspect();
    (live.HostConfig as Record<string, unknown>).Memory = "lots";
    const { differences, unverifiable } = compareModels(
      modelOf(fixture("compliant.tf.json")),
      modelFromInspect(live),
    );
    expect(differences).toEqual([]);
    expect(unverifiable).toEqual([
      {
        field: "memory (bytes)",
        reason: expect.stringMatching(/^live: HostConfig\.Memory should be a number/),
      },
    ]);
  });
});

describe("detectDrift", () => {
  it("is in sync when the live container matches, and ignores unlabelled strangers", async () => {
    const { report } = await driftOf([{ name: "api" }, { name: "someone-elses", labels: {} }]);
    expect(report.entries).toEqual([
      expect.objectContaining({
        status: "in-sync",
        resource: RESOURCE,
        container: "container:/api",
        stack: "payments",
      }),
    ]);
    expect(hasDrift(report)).toBe(false);
    expect(() => driftReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
    expect(renderDriftText(report)).toMatch(/Result: no drift\n$/);
  });

  it("leaves Swarm services of the stack out: they are not containers of this host", async () => {
    const json = structuredClone(STACK.json) as { resource: Record<string, unknown> };
    json.resource.docker_service = {
      web: {
        name: "web",
        task_spec: [
          { container_spec: [{ image: "registry.example.com/web@sha256:" + "a".repeat(64) }] },
        ],
      },
    };
    const { report } = await driftOf([{ name: "api" }], [{ name: "payments", json }]);
    expect(report.entries.map((e) => [e.status, e.resource])).toEqual([["in-sync", RESOURCE]]);
    expect(hasDrift(report)).toBe(false);
  });

  it("reports a missing container and an unmanaged one carrying our labels", async () => {
    const { report } = await driftOf([
      {
        name: "api-old",
        labels: {
          "io.hardened-docker.managed-by": "cdktf-hardened-docker",
          "io.hardened-docker.owner": "x",
        },
      },
    ]);
    expect(report.entries.map((e) => [e.status, e.resource ?? e.container])).toEqual([
      ["missing", RESOURCE],
      ["unmanaged", "container:/api-old"],
    ]);
    expect(report.entries[1].message).toBe(
      "carries io.hardened-docker.managed-by, io.hardened-docker.owner but no synthesized stack declares a container named api-old",
    );
    expect(hasDrift(report)).toBe(true);
    const text = renderDriftText(report);
    expect(text).toContain(`[MISSING]    ${RESOURCE} -> container:/api (stack payments)`);
    expect(text).toContain("[UNMANAGED]  container:/api-old");
    expect(text).toMatch(
      /Summary: 0 in sync, 0 drifted, 1 missing, 1 unmanaged, 0 unresolved, 0 unverified\nResult: drift found\n$/,
    );
  });

  // Seen deploying the Swarm template with Terraform: its two task containers carry the
  // service's audit labels and were reported unmanaged.
  it("leaves out the task containers of a service the stacks declare, and only those", async () => {
    const { json, service } = synthService();
    const name = service.name as string;
    const ourLabels = { "io.hardened-docker.managed-by": "cdktf-hardened-docker" };
    const { report } = await driftOf(
      [
        {
          name: `${name}.1.abcdef`,
          labels: { ...ourLabels, "com.docker.swarm.service.name": name },
        },
        {
          name: "other.1.abcdef",
          labels: { ...ourLabels, "com.docker.swarm.service.name": "other" },
        },
      ],
      [{ name: "shop", json }],
    );
    expect(report.entries.map((e) => [e.status, e.container])).toEqual([
      ["unmanaged", "container:/other.1.abcdef"],
    ]);
  });

  it("reports drift field by field, with the live state", async () => {
    const { report } = await driftOf([
      { name: "api", running: false, inspect: { HostConfig: { Privileged: true } } },
    ]);
    expect(report.entries).toEqual([
      expect.objectContaining({
        status: "drifted",
        state: "exited",
        differences: [{ field: "privileged", synthesized: "false", live: "true" }],
      }),
    ]);
    expect(renderDriftText(report)).toContain("     * privileged: synthesized false, live true");
  });

  it("counts a container removed while drift is checked as missing, and one it cannot inspect as unverified", async () => {
    const removed = await driftOf([{ name: "api", removedBeforeInspect: true }]);
    expect(removed.report.entries[0]).toMatchObject({ status: "missing" });
    const broken = await driftOf([{ name: "api", inspectFails: true }]);
    expect(broken.report.entries[0]).toMatchObject({
      status: "unverified",
      message: expect.stringMatching(/500/),
    });
    expect(hasDrift(broken.report)).toBe(true);
  });

  it("names a synthesized container whose name is only known at apply time as unresolved", async () => {
    const json = fixture("compliant.tf.json") as {
      resource: { docker_container: Record<string, Record<string, unknown>> };
    };
    json.resource.docker_container.api_container_1A2B3C4D.name = "${var.name}";
    const { report } = await driftOf([{ name: "api" }], [{ name: "payments", json }]);
    expect(report.entries.map((e) => e.status)).toEqual(["unresolved", "unmanaged"]);
  });

  it("throws a one-line error when the engine cannot be reached, and says so when it goes away", async () => {
    const unreachable = new FakeEngine([], { pingError: socketError("ENOENT") });
    await expect(detectDrift(unreachable, [STACK], { address: ADDRESS })).rejects.toThrow(
      /^cannot reach the Docker Engine at unix:\/\/\/fake\.sock: no socket/,
    );
    const vanishing = new FakeEngine([{ name: "api" }], { goneAfterCalls: 0 });
    const result = await detectDrift(vanishing, [STACK], { address: ADDRESS });
    expect(result.engineLost?.message).toMatch(/stopped answering/);
    expect(result.report.entries[0]).toMatchObject({ status: "unverified" });
  });
});
