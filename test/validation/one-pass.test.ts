import {
  HardenedContainerProps,
  HardenedDockerValidationError,
  HardenedNetwork,
  Relax,
  ValidationProblem,
} from "../../lib";
import { baseProps, synthHardened, validationErrorOf } from "../support/hardened-synth";
import { dockerStack, networkProps, synthService } from "../support/swarm-synth";

/**
 * Every problem of a construct's props comes in one HardenedDockerValidationError: a shape
 * problem (the schema) no longer hides a semantic one (a rule between fields) until the next run,
 * and a semantic check does not repeat, or guess about, a field the schema refused.
 */

const REASON = "the legacy image writes its pid file as root at start";

/** Props as a caller without the type checker (plain JS, JSON config) may pass them. */
function untyped(props: Record<string, unknown>): HardenedContainerProps {
  return props as unknown as HardenedContainerProps;
}

function containerProblems(overrides: Record<string, unknown>): ValidationProblem[] {
  const error = validationErrorOf(() => synthHardened(untyped({ ...baseProps(), ...overrides })));
  expect(error).toBeInstanceOf(HardenedDockerValidationError);
  return [...error.problems];
}

const fields = (problems: readonly ValidationProblem[]) => problems.map((p) => p.field).sort();

describe("HardenedContainer reports shape and semantic problems together", () => {
  test("a shape error and a semantic error on different fields come in one error", () => {
    const error = validationErrorOf(() =>
      synthHardened(untyped({ ...baseProps(), resources: { memoryMiB: -5 }, user: "0:0" })),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        constructPath: "stack/api",
        field: "resources.memoryMiB",
        value: -5,
        message: expect.stringMatching(/at least 6.*default is 256/),
      }),
      expect.objectContaining({
        constructPath: "stack/api",
        field: "user",
        value: "0:0",
        message: expect.stringMatching(/runs as root.*Relax\.runAsRoot/),
      }),
    ]);
    expect(error.message).toContain("(2 problems)");
    expect(error.message).toContain("stack/api: resources.memoryMiB = -5:");
    expect(error.message).toContain('stack/api: user = "0:0":');
  });

  test("a refused audit block does not hide a privileged port or an unpinned image", () => {
    const problems = containerProblems({
      image: "registry.example.com/payments/api:1.4",
      audit: { owner: "payments-team", purpose: "public REST API" },
      ports: [{ internal: 8080, external: 80 }],
    });
    expect(fields(problems)).toEqual(["audit.expires", "image", "ports.0.external"]);
    expect(problems.find((p) => p.field === "ports.0.external")?.message).toMatch(/CIS 5\.8/);
    expect(problems.find((p) => p.field === "image")?.message).toMatch(/not pinned by digest/);
  });

  test("a refused field is not also reported as missing", () => {
    const problems = containerProblems({ healthcheck: { test: ["/bin/true"] } });
    expect(fields(problems)).toEqual(["healthcheck.test"]);
    expect(problems[0].message).toMatch(/must start with "CMD"/);
  });

  test("a refused relaxation is not taken as absent: no guess about the field it relaxes", () => {
    const problems = containerProblems({
      user: "0:0",
      relaxations: [Relax.runAsRoot("needs root")],
      maxRestarts: 10,
      env: { "BAD-NAME": "x" },
      mounts: [{ source: "/etc", target: "/host-etc" }],
    });
    expect(fields(problems)).toEqual([
      "env.BAD-NAME",
      "maxRestarts",
      "mounts.0.source",
      "relaxations.0.reason",
    ]);
    expect(problems.find((p) => p.field === "mounts.0.source")?.message).toMatch(/CIS 5\.6/);
  });

  test("well-formed relaxations beside a refused one still count, and keep their own index", () => {
    const problems = containerProblems({
      user: "0:0",
      relaxations: [Relax.noHealthcheck("short"), Relax.runAsRoot(REASON), Relax.runAsRoot(REASON)],
    });
    // runAsRoot is read: "0:0" is not refused; its second copy is named by its place in the input.
    expect(problems.map((p) => [p.field, p.value])).toEqual([
      ["relaxations.0.reason", "short"],
      ["relaxations.2", "runAsRoot"],
    ]);
  });

  test("a relaxation is not called unused when the field it relaxes was refused", () => {
    const problems = containerProblems({
      ports: [{ internal: 8080, external: 80, hostIp: "localhost" }],
      relaxations: [Relax.privilegedPorts([80], REASON)],
    });
    expect(fields(problems)).toEqual(["ports.0.hostIp"]);
  });

  test("props that are not an object are one shape problem", () => {
    const error = validationErrorOf(() => synthHardened(untyped(null as never)));
    expect(error.problems.map((p) => p.field)).toEqual(["(props)"]);
  });

  test("valid props still synthesize", () => {
    expect(synthHardened(baseProps()).container.user).toBe("65534:65534");
  });
});

describe("HardenedService reports shape and semantic problems together", () => {
  test("a shape error and a semantic error on different fields come in one error", () => {
    const error = validationErrorOf(() =>
      synthService(() => ({ replicas: 0, env: { DB_PASSWORD: "hunter2" } })),
    );
    expect(error.problems.map((p) => [p.constructPath, p.field, p.value])).toEqual([
      ["stack/api", "replicas", 0],
      ["stack/api", "env.DB_PASSWORD", "(value hidden)"],
    ]);
    expect(error.problems[1].message).toMatch(/CIS 7\.4/);
  });

  test("refused networks (a required field) do not hide a root user", () => {
    const error = validationErrorOf(() => synthService(() => ({ networks: [], user: "0" })));
    expect(fields(error.problems)).toEqual(["networks", "user"]);
  });
});

describe("HardenedNetwork reports shape and semantic problems together", () => {
  test("a shape error and a semantic error on different fields come in one error", () => {
    const error = validationErrorOf(
      () =>
        new HardenedNetwork(dockerStack(), "net", {
          ...networkProps(),
          name: "no spaces allowed",
          encrypted: true,
        }),
    );
    expect(error.problems.map((p) => [p.constructPath, p.field, p.value])).toEqual([
      ["stack/net", "name", "no spaces allowed"],
      ["stack/net", "encrypted", true],
    ]);
    expect(error.problems[1].message).toMatch(/overlay option/);
  });

  test("a driver option is not judged against a refused driver", () => {
    const error = validationErrorOf(
      () =>
        new HardenedNetwork(dockerStack(), "net", {
          ...networkProps(),
          driver: "mesh" as never,
          encrypted: true,
        }),
    );
    expect(error.problems.map((p) => p.field)).toEqual(["driver"]);
  });

  test("a refused audit block does not hide labels under the library's prefix", () => {
    const error = validationErrorOf(
      () =>
        new HardenedNetwork(dockerStack(), "net", {
          ...networkProps(),
          audit: { owner: "", purpose: "x", expires: "2026-06-30" },
          labels: { "io.hardened-docker.owner": "someone-else" },
        }),
    );
    expect(fields(error.problems)).toEqual(["audit.owner", "labels.io.hardened-docker.owner"]);
  });
});
