import { Relax, SeccompProfile } from "../../lib";
import { RELAXATION_WAIVES } from "../../lib/policy/relaxation-rules";
import { baseProps, labelsOf, synthHardened, validationErrorOf } from "../support/hardened-synth";

const REASON = "the legacy proxy only forwards to port 80 until PLAT-7 lands";

describe("every relaxation changes exactly what it names and is recorded with its reason", () => {
  test("addCapabilities adds the named capabilities, still dropping ALL", () => {
    const { container } = synthHardened(
      baseProps({ relaxations: [Relax.addCapabilities(["NET_BIND_SERVICE"], REASON)] }),
    );
    expect(container.capabilities).toEqual({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
    const labels = labelsOf(container);
    expect(labels["io.hardened-docker.relaxation.addCapabilities"]).toBe(REASON);
    expect(labels["io.hardened-docker.relaxation.addCapabilities.rules"]).toBe("CIS-5.4");
    expect(labels["io.hardened-docker.relaxation.addCapabilities.detail"]).toBe("NET_BIND_SERVICE");
  });

  test("runAsRoot runs as 0:0 (or the given user)", () => {
    expect(
      synthHardened(baseProps({ relaxations: [Relax.runAsRoot(REASON)] })).container.user,
    ).toBe("0:0");
    expect(
      synthHardened(baseProps({ relaxations: [Relax.runAsRoot(REASON, "www-data")] })).container
        .user,
    ).toBe("www-data");
  });

  test("privilegedPorts allows exactly the listed host ports", () => {
    const { container } = synthHardened(
      baseProps({
        ports: [{ internal: 8080, external: 80 }],
        relaxations: [Relax.privilegedPorts([80], REASON)],
      }),
    );
    expect(container.ports).toEqual([
      { internal: 8080, external: 80, ip: "127.0.0.1", protocol: "tcp" },
    ]);
    const error = validationErrorOf(() =>
      synthHardened(
        baseProps({
          ports: [
            { internal: 8080, external: 80 },
            { internal: 8443, external: 443 },
          ],
          relaxations: [Relax.privilegedPorts([80], REASON)],
        }),
      ),
    );
    expect(error.problems.map((p) => [p.field, p.value])).toEqual([["ports.1.external", 443]]);
  });

  test("publishOnAllInterfaces allows 0.0.0.0", () => {
    const { container } = synthHardened(
      baseProps({
        ports: [{ internal: 8080, external: 18080, hostIp: "0.0.0.0" }],
        relaxations: [Relax.publishOnAllInterfaces(REASON)],
      }),
    );
    expect((container.ports as { ip: string }[])[0].ip).toBe("0.0.0.0");
  });

  test("writableRootFilesystem turns read_only off", () => {
    const { container } = synthHardened(
      baseProps({ relaxations: [Relax.writableRootFilesystem(REASON)] }),
    );
    expect(container.read_only).toBe(false);
  });

  test("writableBindMount makes only the named target writable", () => {
    const { container } = synthHardened(
      baseProps({
        mounts: [
          { source: "/srv/uploads", target: "/uploads", readOnly: false },
          { source: "/srv/config", target: "/config" },
        ],
        relaxations: [Relax.writableBindMount(["/uploads"], REASON)],
      }),
    );
    expect(
      (container.mounts as { target: string; read_only: boolean }[]).map((m) => [
        m.target,
        m.read_only,
      ]),
    ).toEqual([
      ["/uploads", false],
      ["/config", true],
    ]);
  });

  test("executableTmpfs drops noexec on the named tmpfs only", () => {
    const { container } = synthHardened(
      baseProps({
        tmpfs: [{ path: "/var/cache/jit" }],
        relaxations: [Relax.executableTmpfs(["/var/cache/jit"], REASON)],
      }),
    );
    expect(container.tmpfs).toEqual({
      "/tmp": "rw,noexec,nosuid,nodev,size=64m",
      "/var/cache/jit": "rw,nosuid,nodev,exec,size=64m",
    });
  });

  test("allowSyscalls adds the syscalls to the inline seccomp profile", () => {
    const { container } = synthHardened(
      baseProps({ relaxations: [Relax.allowSyscalls(["ptrace"], REASON)] }),
    );
    const expected = SeccompProfile.hardenedDefault().allow(["ptrace"]);
    expect(expected.denies("ptrace")).toBe(false);
    expect(container.security_opts).toContain(`seccomp=${expected.toJson()}`);
  });

  test("noHealthcheck omits the health check", () => {
    const { container } = synthHardened(
      baseProps({ healthcheck: undefined, relaxations: [Relax.noHealthcheck(REASON)] }),
    );
    expect(container.healthcheck).toBeUndefined();
    expect(labelsOf(container)["io.hardened-docker.relaxation.noHealthcheck.rules"]).toBe(
      "CIS-4.6,CIS-5.27",
    );
  });

  test("untrustedRegistry allows an image outside the allowlist", () => {
    const { container } = synthHardened(
      baseProps({
        trustedRegistries: ["registry.internal"],
        relaxations: [Relax.untrustedRegistry(REASON)],
      }),
    );
    expect(container.image).toBe(baseProps().image);
  });

  test("every relaxation kind is mapped to the rules it waives", () => {
    expect(Object.keys(RELAXATION_WAIVES).sort()).toEqual(
      [
        "addCapabilities",
        "allowSyscalls",
        "executableTmpfs",
        "noHealthcheck",
        "privilegedPorts",
        "publishOnAllInterfaces",
        "runAsRoot",
        "untrustedRegistry",
        "writableBindMount",
        "writableRootFilesystem",
      ].sort(),
    );
  });
});

describe("relaxations are refused without a real reason, and when they relax nothing", () => {
  test.each([
    ["empty", ""],
    ["whitespace", "   "],
    ["one word", "legacy"],
    ["two words", "legacy reasons"],
    ["short", "needs it ok"],
  ])("a %s reason is rejected", (_label, reason) => {
    const error = validationErrorOf(() =>
      synthHardened(baseProps({ relaxations: [Relax.writableRootFilesystem(reason)] })),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].field).toBe("relaxations.0.reason");
    expect(error.problems[0].message).toMatch(/at least 20 characters and three words/);
  });

  test("a relaxation that relaxes nothing is rejected", () => {
    const error = validationErrorOf(() =>
      synthHardened(baseProps({ relaxations: [Relax.publishOnAllInterfaces(REASON)] })),
    );
    expect(error.problems[0]).toMatchObject({
      field: "relaxations",
      value: "publishOnAllInterfaces",
    });
    expect(error.problems[0].message).toMatch(/relaxes nothing/);
  });

  test("a privileged-port relaxation for a port not published is rejected", () => {
    const error = validationErrorOf(() =>
      synthHardened(
        baseProps({
          ports: [{ internal: 8080, external: 80 }],
          relaxations: [Relax.privilegedPorts([80, 443], REASON)],
        }),
      ),
    );
    expect(error.problems.map((p) => [p.field, p.value])).toEqual([
      ["relaxations.privilegedPorts.hostPorts", 443],
    ]);
  });

  test("the same relaxation kind twice is rejected", () => {
    const error = validationErrorOf(() =>
      synthHardened(
        baseProps({
          relaxations: [Relax.writableRootFilesystem(REASON), Relax.writableRootFilesystem(REASON)],
        }),
      ),
    );
    expect(error.problems[0].message).toMatch(/given twice/);
  });

  test("an unknown relaxation kind is rejected with the list of kinds", () => {
    const error = validationErrorOf(() =>
      synthHardened(baseProps({ relaxations: [{ kind: "privileged", reason: REASON } as never] })),
    );
    expect(error.problems[0].field).toBe("relaxations.0.kind");
    expect(error.problems[0].value).toBe("privileged");
    expect(error.problems[0].message).toMatch(
      /unknown relaxation kind; use one of addCapabilities/,
    );
  });

  test("there is no raw attribute to weaken a default: unknown props are refused", () => {
    const error = validationErrorOf(() =>
      synthHardened({ ...baseProps(), privileged: true } as never),
    );
    expect(error.problems[0].message).toMatch(/unknown field privileged/);
  });

  test("privileged: true names no relaxation that does not exist, and points at the capability one", () => {
    const error = validationErrorOf(() =>
      synthHardened({ ...baseProps(), privileged: true } as never),
    );
    const { message } = error.problems[0];
    expect(message).toMatch(/privileged mode is not relaxable: remove it/);
    expect(message).toContain("Relax.addCapabilities([");
    expect(message).not.toMatch(/use relaxations with a reason/);
  });

  test.each([
    ["capabilities", /Relax\.addCapabilities/],
    ["readOnly", /Relax\.writableRootFilesystem/],
    ["network_mode", /host network namespace is not relaxable/],
    ["devices", /host device is not relaxable/],
  ])("the raw attribute %s is refused with its own fix", (key, fix) => {
    const error = validationErrorOf(() => synthHardened({ ...baseProps(), [key]: true } as never));
    expect(error.problems[0].message).toMatch(fix);
  });

  test("an unknown field with no known fix says how defaults are weakened", () => {
    const error = validationErrorOf(() =>
      synthHardened({ ...baseProps(), colour: "red" } as never),
    );
    expect(error.problems[0].message).toMatch(
      /unknown field\(s\) colour: remove them .*typed relaxation, Relax\.<name>\(\.\.\., reason\)/,
    );
  });
});
