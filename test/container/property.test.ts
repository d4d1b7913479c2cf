import fc from "fast-check";
import { HardenedDockerValidationError, Relax, Relaxation } from "../../lib";
import { DIGEST, PINNED_IMAGE, baseProps, synthHardened, Json } from "../support/hardened-synth";

const REASON = "needed by this workload for a documented reason";

// Values that are sometimes valid and sometimes not, for every prop the construct takes.
const arbitraryProps = fc.record(
  {
    image: fc.oneof(
      fc.constant(`registry.example.com/app@${DIGEST}`),
      fc.constant("nginx:latest"),
      fc.string(),
    ),
    user: fc.oneof(
      fc.constant("1000:1000"),
      fc.constant("0:0"),
      fc.constant("0"),
      fc.string({ maxLength: 12 }),
    ),
    ports: fc.array(
      fc.record(
        {
          internal: fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constant(8080)),
          external: fc.oneof(
            fc.integer({ min: -5, max: 70000 }),
            fc.constant(80),
            fc.constant(18080),
          ),
          hostIp: fc.oneof(
            fc.constant("127.0.0.1"),
            fc.constant("0.0.0.0"),
            fc.constant("::"),
            fc.string({ maxLength: 8 }),
          ),
        },
        { requiredKeys: ["internal"] },
      ),
      { maxLength: 3 },
    ),
    resources: fc.record(
      {
        memoryMiB: fc.oneof(fc.integer({ min: -10, max: 4096 }), fc.double()),
        cpus: fc.oneof(fc.double({ min: -1, max: 8, noNaN: true }), fc.constant(0.5)),
        pids: fc.integer({ min: -1, max: 100000 }),
      },
      { requiredKeys: [] },
    ),
    tmpfs: fc.array(
      fc.record({
        path: fc.oneof(
          fc.constant("/var/cache/x"),
          fc.constant("/tmp"),
          fc.string({ maxLength: 10 }),
        ),
      }),
      {
        maxLength: 2,
      },
    ),
    mounts: fc.array(
      fc.record(
        {
          source: fc.oneof(
            fc.constant("/srv/data"),
            fc.constant("/etc"),
            fc.constant("/var/run/docker.sock"),
            fc.constant("vol1"),
          ),
          target: fc.oneof(fc.constant("/data"), fc.constant("/tmp"), fc.string({ maxLength: 8 })),
          readOnly: fc.boolean(),
        },
        { requiredKeys: ["source", "target"] },
      ),
      { maxLength: 2 },
    ),
    relaxations: fc.array(
      fc.oneof(
        fc.constant<Relaxation>(Relax.runAsRoot(REASON)),
        fc.constant<Relaxation>(Relax.privilegedPorts([80], REASON)),
        fc.constant<Relaxation>(Relax.publishOnAllInterfaces(REASON)),
        fc.constant<Relaxation>(Relax.writableBindMount(["/data"], REASON)),
        fc.constant<Relaxation>(Relax.addCapabilities(["NET_BIND_SERVICE"], REASON)),
        fc.constant<Relaxation>(Relax.writableRootFilesystem("short")),
      ),
      { maxLength: 3 },
    ),
    maxRestarts: fc.integer({ min: -1, max: 10 }),
  },
  { requiredKeys: [] },
);

function relaxed(props: { relaxations?: Relaxation[] }, kind: Relaxation["kind"]): boolean {
  return (props.relaxations ?? []).some((r) => r.kind === kind);
}

describe("random props: a secure configuration or a clear error, never a crash or a silent weakening", () => {
  test("property", () => {
    fc.assert(
      fc.property(arbitraryProps, (random) => {
        const props = { ...baseProps(), ...random } as ReturnType<typeof baseProps> & {
          relaxations?: Relaxation[];
        };
        let container: Json;
        try {
          container = synthHardened(props).container;
        } catch (error) {
          // Failing is fine, but only with a validation error that says where, what and why.
          expect(error).toBeInstanceOf(HardenedDockerValidationError);
          const problems = (error as HardenedDockerValidationError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.constructPath).toBe("stack/api");
            expect(p.field.length).toBeGreaterThan(0);
            expect(p.message.length).toBeGreaterThan(10);
          }
          return;
        }
        // Synthesized: every default not explicitly relaxed still holds.
        expect(container.privileged).toBe(false);
        expect((container.capabilities as { drop: string[] }).drop).toEqual(["ALL"]);
        if (!relaxed(props, "addCapabilities"))
          expect((container.capabilities as { add: string[] }).add).toEqual([]);
        expect(container.security_opts as string[]).toContain("no-new-privileges:true");
        expect((container.security_opts as string[]).some((o) => o.startsWith("seccomp={"))).toBe(
          true,
        );
        if (!relaxed(props, "writableRootFilesystem")) expect(container.read_only).toBe(true);
        if (!relaxed(props, "runAsRoot"))
          expect(container.user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$|^\d*[1-9]\d*:\d*[1-9]\d*$/);
        expect(container.memory).toBeGreaterThan(0);
        expect(container.memory_swap).toBe(container.memory);
        expect(container).not.toHaveProperty("cpus");
        expect(container.cpu_period).toBe(100_000);
        expect(container.cpu_quota).toBeGreaterThanOrEqual(1000);
        expect(container.cpu_shares).toBeGreaterThan(0);
        expect(container.restart).toBe("on-failure");
        expect(container.max_retry_count).toBeLessThanOrEqual(5);
        for (const options of Object.values(container.tmpfs as Record<string, string>)) {
          expect(options).toMatch(/nosuid/);
          expect(options).toMatch(/nodev/);
          expect(options).toMatch(/noexec/);
        }
        for (const port of (container.ports ?? []) as { ip: string; external?: number }[]) {
          if (!relaxed(props, "publishOnAllInterfaces"))
            expect(port.ip).not.toMatch(/^(0\.0\.0\.0|::)$/);
          if (!relaxed(props, "privilegedPorts") && port.external !== undefined)
            expect(port.external).toBeGreaterThan(1024);
        }
        for (const m of (container.mounts ?? []) as { source: string; read_only: boolean }[]) {
          expect(m.source).not.toMatch(/docker\.sock|^\/etc/);
          if (!relaxed(props, "writableBindMount")) expect(m.read_only).toBe(true);
        }
        // Only the pinned image can synthesize; without an image prop, baseProps' pinned one.
        expect(container.image).toBe(random.image ?? PINNED_IMAGE);
      }),
      { numRuns: 300 },
    );
  });
});
