import { CIS_5_2_APPARMOR } from "../../../lib/policy/rules/cis-5-2-apparmor";
import { CIS_5_11_MEMORY_LIMIT } from "../../../lib/policy/rules/cis-5-11-memory-limit";
import { CIS_5_26_NO_NEW_PRIVILEGES } from "../../../lib/policy/rules/cis-5-26-no-new-privileges";
import { HD_CONFINEMENT } from "../../../lib/policy/rules/hd-confinement";
import { modelFromInspect } from "../../../lib/host/inspect";
import { isUnknown } from "../../../lib/policy/unknown";
import {
  crc32,
  crc32ByTable,
  providerMiBToBytes,
  providerNanoCpus,
  providerSetOrder,
} from "../../../lib/provider/docker-provider-facts";
import { check, fixtureModel, ruleCases } from "./support/policy-harness";
import { inspectOf } from "./support/inspect-fixtures";

/**
 * Docker's reading, not ours: which of two conflicting security options the Engine applies
 * (the last the provider sends, in its set's hash order), the confinement switches, and the
 * provider's int64 arithmetic. The orders and values below were seen on Docker 20.10.24 with the
 * kreuzwerker/docker 4.6.0 provider (`terraform apply` of one docker_container, then
 * `docker inspect`).
 */

const SEEN_ON_THE_ENGINE = {
  configured: [
    "no-new-privileges:true",
    "no-new-privileges:false",
    "apparmor=unconfined",
    "apparmor=docker-default",
    "label=level:s0:c100",
    "label=level:s0:c200",
  ],
  /** `HostConfig.SecurityOpt` of the created container; its `AppArmorProfile` was "unconfined". */
  sent: [
    "apparmor=docker-default",
    "label=level:s0:c200",
    "label=level:s0:c100",
    "no-new-privileges:false",
    "apparmor=unconfined",
    "no-new-privileges:true",
  ],
  /** `memory = 17592186044416` (2^44 MiB): `HostConfig.Memory` was 0, no limit. */
  memoryMiB: 17592186044416,
};

describe("the provider's set order, as the Engine received it", () => {
  test("security_opts are sent sorted by the decimal text of their CRC-32", () => {
    expect(providerSetOrder(SEEN_ON_THE_ENGINE.configured)).toEqual({
      ordered: SEEN_ON_THE_ENGINE.sent,
    });
  });

  test("the CRC-32 is Go's ChecksumIEEE, natively and by table, over UTF-8 bytes", () => {
    // Go: crc32.ChecksumIEEE([]byte(s)); the fox is the check value of the IEEE polynomial.
    const known: [string, number][] = [
      ["", 0],
      ["hello", 907060870],
      ["The quick brown fox jumps over the lazy dog", 0x414fa339],
    ];
    for (const [text, value] of known) {
      expect([text, crc32(text), crc32ByTable(text)]).toEqual([text, value, value]);
    }
    const long = `seccomp=${JSON.stringify({ names: Array.from({ length: 500 }, (_, i) => `sys_${i}_é`) })}`;
    expect(crc32ByTable(long)).toBe(crc32(long));
  });

  test("the order is that of the NFC text Terraform hands the provider, as the Engine got it", () => {
    // Written decomposed (e + U+0301). Terraform 1.11 + 4.6.0 + Docker 20.10.24 gave
    // HostConfig.SecurityOpt = [<the profile, composed: "é0">, "seccomp=unconfined"], and the
    // container ran with Seccomp: 0. Hashing the text as written puts the profile last instead.
    const profile = (name: string) =>
      `seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["${name}"],"action":"SCMP_ACT_ERRNO"}]}`;
    const written = ["seccomp=unconfined", profile("e\u03010")];
    expect(providerSetOrder(written)).toEqual({
      ordered: [profile("\u00e90"), "seccomp=unconfined"],
    });
  });

  test("the model lists security_opts in that order", () => {
    const model = fixtureModel({ security_opts: SEEN_ON_THE_ENGINE.configured });
    expect(model.securityOpt).toEqual(SEEN_ON_THE_ENGINE.sent);
  });

  test("two options with one hash (the set keeps one of them) are unknown", () => {
    const model = fixtureModel({
      security_opts: [
        "no-new-privileges:true",
        "label=level:s0:b2afaae0e75d",
        "label=level:s0:1d41a353bcce",
      ],
    });
    expect(isUnknown(model.securityOpt)).toBe(true);
    expect(check(CIS_5_26_NO_NEW_PRIVILEGES, model).status).toBe("unknown");
  });
});

describe("conflicting security options are judged by the one Docker applies", () => {
  test("apparmor=unconfined sent after docker-default fails CIS-5.2 on an AppArmor host", () => {
    const model = fixtureModel({
      security_opts: ["apparmor=docker-default", "apparmor=unconfined"],
    });
    expect(check(CIS_5_2_APPARMOR, model, { hostHasAppArmor: true }).status).toBe("fail");
    expect(check(HD_CONFINEMENT, model).status).toBe("fail");
  });

  test("no-new-privileges:false sent before :true: Docker enables it, CIS-5.26 passes", () => {
    const model = fixtureModel({
      security_opts: ["no-new-privileges:true", "no-new-privileges:false"],
    });
    expect(model.securityOpt).toEqual(["no-new-privileges:false", "no-new-privileges:true"]);
    expect(check(CIS_5_26_NO_NEW_PRIVILEGES, model).status).toBe("pass");
  });

  test("no-new-privileges=false sent after :true: Docker turns it off, CIS-5.26 fails", () => {
    // "no-new-privileges=false" hashes to 3956526543, after "76362931"... as text: "3" < "7".
    const opts = ["no-new-privileges:true", "no-new-privileges=0"];
    const model = fixtureModel({ security_opts: opts });
    const sent = model.securityOpt as string[];
    const last = sent[sent.length - 1];
    expect(check(CIS_5_26_NO_NEW_PRIVILEGES, model).status).toBe(
      last === "no-new-privileges=0" ? "fail" : "pass",
    );
  });

  test.each([
    [["no-new-privileges", "no-new-privileges:true"]],
    [["no-new-privileges=1", "no-new-privileges:true", "no-new-privileges"]],
  ])("safe duplicate spellings pass: %j", (opts) => {
    expect(check(CIS_5_26_NO_NEW_PRIVILEGES, fixtureModel({ security_opts: opts })).status).toBe(
      "pass",
    );
  });

  test("a live container is judged in the engine's order", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: { SecurityOpt: ["no-new-privileges:true", "no-new-privileges:false"] },
      }),
    );
    expect(check(CIS_5_26_NO_NEW_PRIVILEGES, model).status).toBe("fail");
  });
});

describe("HD-CONFINEMENT: switches that open the host", () => {
  ruleCases(HD_CONFINEMENT, [
    { name: "the compliant container", tf: {}, status: "pass" },
    {
      name: "systempaths=unconfined",
      tf: { security_opts: ["no-new-privileges:true", "systempaths=unconfined"] },
      raw: { config: { securityOpts: ["no-new-privileges:true", "systempaths=unconfined"] } },
      status: "fail",
      message: /\/proc\/kcore.*\/proc\/sysrq-trigger/,
    },
    {
      name: "label=disable",
      tf: { security_opts: ["label=disable"] },
      status: "fail",
      message: /label=disable/,
    },
    { name: "label:disable", tf: { security_opts: ["label:disable"] }, status: "fail" },
    { name: "a bare disable", tf: { security_opts: ["disable"] }, status: "fail" },
    { name: "label=type:spc_t", tf: { security_opts: ["label=type:spc_t"] }, status: "fail" },
    {
      name: "apparmor=unconfined beside another profile",
      tf: {
        security_opts: ["apparmor=docker-default", "apparmor=unconfined", "no-new-privileges"],
      },
      status: "fail",
      message: /apparmor=unconfined/,
    },
    {
      name: "label=type:container_t",
      tf: { security_opts: ["label=type:container_t"] },
      status: "pass",
    },
    {
      name: "apparmor=docker-default",
      tf: { security_opts: ["apparmor=docker-default"] },
      status: "pass",
    },
  ]);

  test("a live container whose masked paths were cleared fails", () => {
    const model = modelFromInspect(
      inspectOf({ HostConfig: { MaskedPaths: [], ReadonlyPaths: [] } }),
    );
    expect(check(HD_CONFINEMENT, model)).toMatchObject({
      status: "fail",
      message: /\/proc\/kcore/,
    });
  });

  test("a live container with Docker's default lists passes", () => {
    const model = modelFromInspect(
      inspectOf({
        HostConfig: {
          MaskedPaths: [
            "/proc/asound",
            "/proc/acpi",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/proc/scsi",
            "/sys/firmware",
          ],
          ReadonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
      }),
    );
    expect(check(HD_CONFINEMENT, model).status).toBe("pass");
  });
});

describe("the provider's arithmetic", () => {
  test("memory of 2^44 MiB wraps to 0 bytes, as the Engine showed: no limit", () => {
    expect(providerMiBToBytes(SEEN_ON_THE_ENGINE.memoryMiB)).toBe(0);
    const model = fixtureModel({ memory: SEEN_ON_THE_ENGINE.memoryMiB });
    expect(model.memoryBytes).toBe(0);
    expect(check(CIS_5_11_MEMORY_LIMIT, model).status).toBe("fail");
  });

  test("memory of 2^43 MiB wraps negative (the Engine refuses it); 256 MiB is 268435456 bytes", () => {
    expect(providerMiBToBytes(2 ** 43)).toBe(-(2 ** 63));
    expect(providerMiBToBytes(256)).toBe(268435456);
    expect(providerMiBToBytes(1.5)).toBeUndefined();
    expect(check(CIS_5_11_MEMORY_LIMIT, fixtureModel({ memory: 2 ** 43 })).status).toBe("fail");
  });

  test("memory_swap wraps the same way", () => {
    expect(fixtureModel({ memory_swap: SEEN_ON_THE_ENGINE.memoryMiB }).memorySwapBytes).toBe(0);
  });

  test("cpus whose nanoseconds pass 2^63 wrap to no limit", () => {
    expect(providerNanoCpus("0.5")).toBe(500_000_000);
    expect(providerNanoCpus("18446744073.709551616")).toBe(0);
    expect(providerNanoCpus("0.0000000001")).toBeUndefined();
    const model = fixtureModel({ cpus: "18446744073.709551616" });
    expect(model.cpuQuota).toBe(0);
  });
});
