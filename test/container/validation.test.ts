import { HardenedDockerValidationError } from "../../lib";
import { DIGEST, baseProps, synthHardened, validationErrorOf } from "../support/hardened-synth";

function problemsOf(overrides: Parameters<typeof baseProps>[0]) {
  return validationErrorOf(() => synthHardened(baseProps(overrides))).problems;
}

describe("bad input fails at synth time with the construct path, field, value and fix", () => {
  test("the message names the construct path, the field, the value and what to do", () => {
    const error = validationErrorOf(() =>
      synthHardened(baseProps({ image: "registry.example.com/payments/api:1.4" })),
    );
    expect(error).toBeInstanceOf(HardenedDockerValidationError);
    expect(error.message).toContain('stack/api: image = "registry.example.com/payments/api:1.4":');
    expect(error.message).toContain("not pinned by digest (CIS 4.5)");
    expect(error.message).toContain("ContainerImage.fromRegistryTag");
    expect(error.stack).toBe(`HardenedDockerValidationError: ${error.message}`);
  });

  test.each([
    ["a tag only", "nginx:1.27", /not pinned by digest/],
    ["latest", "nginx:latest", /not pinned by digest/],
    ["a short digest", "nginx@sha256:abc", /is not a sha256 digest/],
    ["uppercase hex", `nginx@sha256:${"AB".repeat(32)}`, /is not a sha256 digest/],
    ["garbage", "Not An Image!", /not a valid image reference/],
  ])("image: %s is refused", (_label, image, message) => {
    const [problem] = problemsOf({ image });
    expect(problem).toMatchObject({ constructPath: "stack/api", field: "image", value: image });
    expect(problem.message).toMatch(message);
  });

  test("a missing audit says what to write, not zod's expected-object message", () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { audit: _audit, ...props } = baseProps();
    const [problem] = validationErrorOf(() => synthHardened(props as never)).problems;
    expect(problem).toMatchObject({ constructPath: "stack/api", field: "audit", value: undefined });
    expect(problem.message).toMatch(
      /^audit is required: who owns it, why it runs and its last day/,
    );
    expect(problem.message).toContain('expires: "');
    expect(problem.message).not.toMatch(/expected object/);
  });

  test("an audit that is not an object names its shape; its fields keep their own messages", () => {
    const [shape] = problemsOf({ audit: "payments-team" as never });
    expect(shape.message).toMatch(/^audit must be an object: \{ owner/);
    const [field] = problemsOf({ audit: { owner: "t", purpose: "p" } as never });
    expect(field).toMatchObject({ field: "audit.expires" });
    expect(field.message).toMatch(/audit\.expires is required/);
    const [extra] = problemsOf({
      audit: { owner: "t", purpose: "p", expires: "2027-01-01", team: "x" } as never,
    });
    expect(extra.message).toMatch(/unknown field\(s\) team/);
  });

  test("a digest with a tag is accepted (the digest decides)", () => {
    const { container } = synthHardened(baseProps({ image: `nginx:1.27@${DIGEST}` }));
    expect(container.image).toBe(`nginx:1.27@${DIGEST}`);
  });

  test.each([
    ["negative memory", { resources: { memoryMiB: -5 } }, "resources.memoryMiB", -5, /at least 6/],
    [
      "fractional memory",
      { resources: { memoryMiB: 1.5 } },
      "resources.memoryMiB",
      1.5,
      /whole number/,
    ],
    ["zero cpus", { resources: { cpus: 0 } }, "resources.cpus", 0, /at least 0.01/],
    ["tiny pids", { resources: { pids: 1 } }, "resources.pids", 1, /at least 8/],
    [
      "port out of range",
      { ports: [{ internal: 70000 }] },
      "ports.0.internal",
      70000,
      /1 to 65535|at most 65535/,
    ],
    ["port zero", { ports: [{ internal: 0 }] }, "ports.0.internal", 0, /at least 1/],
    [
      "bad host ip",
      { ports: [{ internal: 80, external: 8080, hostIp: "localhost" }] },
      "ports.0.hostIp",
      "localhost",
      /IPv4 or IPv6/,
    ],
    ["restarts above 5", { maxRestarts: 10 }, "maxRestarts", 10, /at most 5/],
    [
      "relative tmpfs path",
      { tmpfs: [{ path: "cache" }] },
      "tmpfs.0.path",
      "cache",
      /absolute path/,
    ],
    [
      "healthcheck without CMD",
      { healthcheck: { test: ["/bin/true"] } },
      "healthcheck.test",
      ["/bin/true"],
      /must start with "CMD"/,
    ],
    [
      "bad env name",
      { env: { "BAD-NAME": "x" } },
      "env.BAD-NAME",
      undefined,
      /letters, digits and _/,
    ],
    ["empty command part", { command: ["run", ""] }, "command.1", "", /rejected by the provider/],
  ] as const)("%s", (_label, overrides, field, value, message) => {
    const problems = problemsOf(overrides as never);
    const problem = problems.find((p) => p.field === field);
    expect(problem).toBeDefined();
    if (value !== undefined) expect(problem?.value).toEqual(value);
    expect(problem?.message).toMatch(message);
  });

  test.each([
    ["malformed", "30-06-2026", /YYYY-MM-DD/],
    ["not a real day", "2026-02-30", /YYYY-MM-DD/],
    ["in the past", "2026-03-14", /in the past/],
    ["beyond 365 days", "2027-03-16", /more than 365 days ahead/],
  ])("audit.expires %s is refused", (_label, expires, message) => {
    const [problem] = problemsOf({
      audit: { owner: "o", purpose: "p", expires, deployedBy: "ci" },
    });
    expect(problem).toMatchObject({ field: "audit.expires", value: expires });
    expect(problem.message).toMatch(message);
  });

  test("today and exactly the maximum are accepted; the maximum is configurable", () => {
    expect(() =>
      synthHardened(
        baseProps({ audit: { owner: "o", purpose: "p", expires: "2026-03-15", deployedBy: "ci" } }),
      ),
    ).not.toThrow();
    expect(() =>
      synthHardened(
        baseProps({ audit: { owner: "o", purpose: "p", expires: "2027-03-15", deployedBy: "ci" } }),
      ),
    ).not.toThrow();
    const [problem] = problemsOf({
      audit: {
        owner: "o",
        purpose: "p",
        expires: "2026-05-01",
        deployedBy: "ci",
        maxLifetimeDays: 30,
      },
    });
    expect(problem.message).toMatch(/more than 30 days ahead/);
  });

  test("missing audit fields are each reported", () => {
    const problems = problemsOf({ audit: { expires: "2026-06-30" } as never });
    expect(problems.map((p) => p.field).sort()).toEqual(["audit.owner", "audit.purpose"]);
  });

  test("a root user, by UID or GID, needs a relaxation (CIS 4.1)", () => {
    for (const user of ["0", "0:0", "1000:0"]) {
      const [problem] = problemsOf({ user });
      expect(problem).toMatchObject({ field: "user", value: user });
      expect(problem.message).toMatch(/Relax.runAsRoot/);
    }
  });

  test("a user name is refused: it resolves inside the image and may be root", () => {
    const [problem] = problemsOf({ user: "app" });
    expect(problem.message).toMatch(/numeric "uid:gid"/);
  });

  test("a privileged host port needs a relaxation (CIS 5.8)", () => {
    const [problem] = problemsOf({ ports: [{ internal: 8080, external: 443 }] });
    expect(problem).toMatchObject({ field: "ports.0.external", value: 443 });
    expect(problem.message).toMatch(/Relax.privilegedPorts\(\[443\], reason\)/);
  });

  test("binding every interface needs a relaxation (CIS 5.14)", () => {
    for (const hostIp of ["0.0.0.0", "::"]) {
      const [problem] = problemsOf({ ports: [{ internal: 8080, external: 18080, hostIp }] });
      expect(problem).toMatchObject({ field: "ports.0.hostIp", value: hostIp });
    }
  });

  test("the same host port twice is refused", () => {
    const [problem] = problemsOf({
      ports: [
        { internal: 80, external: 18080 },
        { internal: 81, external: 18080 },
      ],
    });
    expect(problem.field).toBe("ports.1.external");
  });

  test("a missing health check needs a relaxation; both together conflict", () => {
    expect(problemsOf({ healthcheck: undefined })[0]).toMatchObject({ field: "healthcheck" });
  });

  test.each(["/", "/etc", "/etc/ssl", "/proc", "/sys/fs", "/usr/lib", "/boot", "/dev", "/lib"])(
    "mounting the sensitive host path %s is refused (CIS 5.6)",
    (source) => {
      const problems = problemsOf({ mounts: [{ source, target: "/data" }] });
      expect(problems[0]).toMatchObject({ field: "mounts.0.source", value: source });
      expect(problems[0].message).toMatch(/CIS 5.6/);
    },
  );

  test.each([
    ["DB_PASSWORD", "hunter2"],
    ["SMTP_PASS", "x"],
    ["DATABASE_URL", "postgres://app:hunter2@db/app"],
  ])(
    "an environment variable %s that looks like a secret is refused, its value hidden",
    (name, value) => {
      const problems = problemsOf({ env: { [name]: value, LOG_LEVEL: "info" } });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: `env.${name}`, value: "(value hidden)" });
      expect(problems[0].message).toMatch(/CIS 7.4/);
    },
  );

  test("mounting the Docker socket is refused (CIS 5.32)", () => {
    const problems = problemsOf({
      mounts: [{ source: "/var/run/docker.sock", target: "/var/run/docker.sock" }],
    });
    expect(problems.map((p) => p.message).join()).toMatch(/CIS 5.32/);
  });

  test.each([
    "/run",
    "/var/run",
    "/var/run/",
    "/run/containerd",
    "/srv/../run/containerd/containerd.sock",
  ])("a read-only bind of %s, which reaches an engine socket, is refused (CIS 5.32)", (source) => {
    // /run and /var/run are sensitive directories too (CIS 5.6): both refusals are reported.
    const problems = problemsOf({ mounts: [{ source, target: "/host-run" }] });
    const socket = problems.find((p) => /CIS 5.32/.test(p.message));
    expect(socket).toMatchObject({ field: "mounts.0.source", value: source });
    expect(socket?.message).toMatch(/engine socket .*\.sock.*CIS 5.32/);
  });

  test.each(["/srv/../etc", "//etc", "/etc/"])(
    "a bind of %s, which resolves into /etc, is refused (CIS 5.6)",
    (source) => {
      expect(problemsOf({ mounts: [{ source, target: "/data" }] })[0].message).toMatch(/CIS 5.6/);
    },
  );

  test("conflicting options: a writable bind mount without relaxation, a mount over a tmpfs path", () => {
    const problems = problemsOf({
      tmpfs: [{ path: "/cache" }],
      mounts: [
        { source: "/srv/data", target: "/data", readOnly: false },
        { source: "/srv/cache", target: "/cache" },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual(["mounts.0.readOnly", "mounts.1.target"]);
    expect(problems[0].message).toMatch(/Relax.writableBindMount/);
    expect(problems[1].message).toMatch(/already a tmpfs mount/);
  });

  test("/tmp listed again as an extra tmpfs is refused", () => {
    expect(problemsOf({ tmpfs: [{ path: "/tmp" }] })[0].message).toMatch(/tmpfs twice/);
  });

  test("labels in the library's namespace are refused", () => {
    const [problem] = problemsOf({ labels: { "io.hardened-docker.owner": "someone-else" } });
    expect(problem.field).toBe("labels.io.hardened-docker.owner");
  });

  test("an image outside the trusted registries is refused (CIS 4.2), matching whole path parts", () => {
    const [problem] = problemsOf({ trustedRegistries: ["registry.example.com/payments-evil"] });
    expect(problem.field).toBe("image");
    expect(problem.message).toMatch(/not in the trusted registries/);
    expect(() =>
      synthHardened(baseProps({ trustedRegistries: ["registry.example.com/payments"] })),
    ).not.toThrow();
  });

  test("several problems are reported together, one line each", () => {
    const error = validationErrorOf(() =>
      synthHardened(
        baseProps({ image: "nginx", user: "0", ports: [{ internal: 80, external: 80 }] }),
      ),
    );
    expect(error.problems.map((p) => p.field)).toEqual(["image", "user", "ports.0.external"]);
    expect(error.message.split("\n")).toHaveLength(4);
  });
});
