import fc from "fast-check";
import { auditStacks, stackFromObject } from "../../../lib/checks/audit-stacks";
import { evaluatePolicy } from "../../../lib/policy/engine";
import { RELAXATION_LABEL_PREFIX } from "../../../lib/policy/facts/labels";
import { ContainerModel } from "../../../lib/policy/model";
import { NetworkModel } from "../../../lib/policy/network-model";
import { Relax, Relaxation } from "../../../lib/policy/relaxations";
import { SubjectKind } from "../../../lib/policy/subjects";
import { Suppression, suppressionsForRelaxation } from "../../../lib/policy/suppressions";
import {
  decodeWaiver,
  encodeRelaxationLabels,
  encodeWaiver,
  suppressionsFromLabels,
} from "../../../lib/policy/waiver-codec";
import { containerModel, context } from "../engine/models";

/** Properties of the one waiver type and codec (issue 17 §1). */

const word = fc.stringMatching(/^[a-z]{3,9}$/);
const reasonArb = fc
  .array(word, { minLength: 4, maxLength: 7 })
  .map((words) => words.join(" "))
  .filter((r) => r.length >= 20);
const ruleIdArb = fc.constantFrom("CIS-5.4", "CIS-5.8", "CIS-5.12", "CIS-4.1", "HD-LOG-ROTATION");
const dateArb = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z") })
  .map((d) => (Number.isNaN(d.getTime()) ? "2026-01-01" : d.toISOString().slice(0, 10)));
const coversArb = fc.record({
  kind: fc.constantFrom<SubjectKind>("capability", "hostPort", "syscall", "tmpfsPath", "user"),
  values: fc.array(fc.stringMatching(/^[A-Za-z0-9_/:.-]{1,12}$/), { minLength: 1, maxLength: 4 }),
});

const waiverArb: fc.Arbitrary<Suppression> = fc
  .record({
    ruleId: ruleIdArb,
    reason: reasonArb,
    expires: fc.option(dateArb, { nil: undefined }),
    covers: fc.option(coversArb, { nil: undefined }),
    source: fc.constantFrom<"construct" | "relaxation">("construct", "relaxation"),
    scope: fc.stringMatching(/^[a-z]{1,6}(\/[a-z0-9-]{1,6}){0,3}$/),
  })
  .map(({ expires, covers, ...rest }) => ({
    ...rest,
    ...(expires !== undefined ? { expires } : {}),
    ...(covers !== undefined ? { covers } : {}),
  }));

describe("the waiver codec", () => {
  it("construct metadata: decode(encode(w)) is w, who wrote it and what it covers included", () => {
    fc.assert(
      fc.property(waiverArb, (w) => {
        const decoded = decodeWaiver(JSON.parse(JSON.stringify(encodeWaiver(w))), {
          found: "construct",
          at: w.scope,
        });
        expect(decoded).toEqual({ waiver: w });
      }),
    );
  });

  it("the // carrier: the same waiver, sitting on the resource it was found on", () => {
    fc.assert(
      fc.property(waiverArb, fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), (w, name) => {
        const at = `docker_container.${name}`;
        const decoded = decodeWaiver(encodeWaiver(w), { found: "carrier", at });
        expect(decoded).toEqual({
          waiver: { ...w, source: "carrier", scope: at, resource: at },
        });
      }),
    );
  });

  const relaxationArb: fc.Arbitrary<Relaxation> = fc.oneof(
    fc
      .subarray(["NET_BIND_SERVICE", "NET_ADMIN", "SYS_PTRACE", "CHOWN"] as const, {
        minLength: 1,
      })
      .chain((caps) => reasonArb.map((r) => Relax.addCapabilities(caps, r))),
    fc
      .array(fc.integer({ min: 1, max: 1024 }), { minLength: 1, maxLength: 3 })
      .chain((ports) => reasonArb.map((r) => Relax.privilegedPorts(ports, r))),
    fc
      .array(fc.constantFrom("ptrace", "mount", "unshare"), { minLength: 1, maxLength: 3 })
      .chain((s) => reasonArb.map((r) => Relax.allowSyscalls([...new Set(s)], r))),
    reasonArb.map((r) => Relax.noHealthcheck(r)),
    reasonArb.map((r) => Relax.runAsRoot(r)),
  );

  it("labels: a relaxation read back from its labels waives what it waived, naming the same values", () => {
    fc.assert(
      fc.property(relaxationArb, (r) => {
        const labels = encodeRelaxationLabels([r]);
        const read = suppressionsFromLabels(labels);
        const expected = suppressionsForRelaxation(r, r.reason).map((s) => ({
          ...s,
          source: "label",
          scope: `${RELAXATION_LABEL_PREFIX}${r.kind}`,
        }));
        expect(read).toEqual(expected);
      }),
    );
  });
});

describe("no waiver written on one resource changes any other resource's verdict", () => {
  // Containers that fail many rules, so waivers have something to waive.
  const failing = (i: number): ContainerModel =>
    containerModel({
      resource: `docker_container.c${i}`,
      constructPath: `app/c${i}/container`,
      name: `c${i}`,
      privileged: true,
      capAdd: ["SYS_ADMIN", "NET_ADMIN"],
      ports: [{ hostIp: "0.0.0.0", hostPort: 80, containerPort: 80, protocol: "tcp" }],
      cpuShares: 0,
      user: "0",
    });
  const network = (i: number): NetworkModel => ({
    source: "terraform",
    resource: `docker_network.n${i}`,
    constructPath: `app/n${i}`,
    name: `n${i}`,
    driver: "overlay",
    options: {},
    internal: false,
    ingress: false,
  });

  /** A waiver written on resource `on`: a Suppressions.add on its construct, a carrier or a label. */
  const placedArb = fc.record({
    on: fc.integer({ min: 0, max: 2 }),
    how: fc.constantFrom("construct", "carrier", "label"),
    ruleId: fc.constantFrom(
      "CIS-5.4",
      "CIS-5.8",
      "CIS-5.12",
      "CIS-4.1",
      "CIS-5.14",
      "HD-OVERLAY-ENCRYPTED",
    ),
    network: fc.boolean(),
    reason: reasonArb,
  });

  it("holds for construct, carrier and label waivers on containers and networks", () => {
    fc.assert(
      fc.property(fc.array(placedArb, { maxLength: 8 }), (placed) => {
        const containers = [0, 1, 2].map(failing);
        const networks = [0, 1, 2].map(network);
        const suppressionsOn = (i: number): Suppression[] =>
          placed
            .filter((p) => p.on === i && p.how !== "label")
            .map((p) => {
              const resource = p.network ? `docker_network.n${i}` : `docker_container.c${i}`;
              return p.how === "carrier"
                ? {
                    ruleId: p.ruleId,
                    reason: p.reason,
                    source: "carrier",
                    scope: resource,
                    resource,
                  }
                : {
                    ruleId: p.ruleId,
                    reason: p.reason,
                    source: "construct",
                    scope: p.network ? `app/n${i}` : `app/c${i}`,
                  };
            });
        const labelled = (i: number): ContainerModel => {
          const labels: Record<string, string> = {};
          for (const p of placed.filter((x) => x.on === i && x.how === "label")) {
            labels[`${RELAXATION_LABEL_PREFIX}publishOnAllInterfaces`] = p.reason;
            labels[`${RELAXATION_LABEL_PREFIX}publishOnAllInterfaces.rules`] = "CIS-5.14";
          }
          return { ...(containers[i] as ContainerModel), labels };
        };
        const options = { policy: { nonWaivable: [] }, context };
        const all = evaluatePolicy(
          { containers: [0, 1, 2].map(labelled), networks },
          { ...options, suppressions: [0, 1, 2].flatMap(suppressionsOn) },
        ).findings;
        for (const j of [0, 1, 2]) {
          const alone = evaluatePolicy(
            {
              containers: [0, 1, 2].map((i) =>
                i === j ? labelled(i) : (containers[i] as ContainerModel),
              ),
              networks,
            },
            { ...options, suppressions: suppressionsOn(j) },
          ).findings;
          for (const resource of [`docker_container.c${j}`, `docker_network.n${j}`]) {
            const verdicts = (findings: typeof all) =>
              findings
                .filter((f) => f.resource === resource)
                .map((f) => [f.ruleId, f.status, f.message]);
            expect(verdicts(all)).toEqual(verdicts(alone));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("a // carrier in synthesized Terraform reaches only its own resource", () => {
  const IMAGE = `127.0.0.1:5000/hd/web@sha256:${"a".repeat(64)}`;
  const carrierArb = fc.record({
    on: fc.integer({ min: 0, max: 2 }),
    // The construct path the carrier's metadata claims: its own, another's, the root.
    claims: fc.constantFrom("", "app", "app/c0", "app/c1", "app/c2"),
    ruleId: fc.constantFrom("CIS-5.4", "CIS-5.12", "CIS-5.11", "CIS-4.1"),
    reason: reasonArb,
    onNetwork: fc.boolean(),
  });

  it("whatever construct path its metadata claims", () => {
    fc.assert(
      fc.property(fc.array(carrierArb, { maxLength: 6 }), (carriers) => {
        const configWith = (kept: typeof carriers) => {
          const meta = (path: string, list: typeof carriers) => ({
            metadata: { path },
            ...(list.length > 0
              ? {
                  "hardened-docker": {
                    suppressions: list.map((c) => ({ ruleId: c.ruleId, reason: c.reason })),
                  },
                }
              : {}),
          });
          const containers: Record<string, unknown> = {};
          const networks: Record<string, unknown> = {};
          for (const i of [0, 1, 2]) {
            const mine = kept.filter((c) => c.on === i);
            const path = (c: (typeof carriers)[number]) => c.claims;
            containers[`c${i}`] = {
              name: `c${i}`,
              image: IMAGE,
              capabilities: { add: ["SYS_ADMIN"] },
              user: "0",
              "//": meta(
                mine.find((c) => !c.onNetwork)
                  ? path(mine.find((c) => !c.onNetwork) as (typeof carriers)[number])
                  : `app/c${i}`,
                mine.filter((c) => !c.onNetwork),
              ),
            };
            networks[`n${i}`] = {
              name: `n${i}`,
              "//": meta(
                mine.find((c) => c.onNetwork)?.claims ?? `app/n${i}`,
                mine.filter((c) => c.onNetwork),
              ),
            };
          }
          return { resource: { docker_container: containers, docker_network: networks } };
        };
        const verdicts = (json: unknown, resource: string) =>
          auditStacks([stackFromObject("s", json)], { context })
            .filter((f) => f.resource === resource)
            .map((f) => [f.ruleId, f.status]);
        const all = configWith(carriers);
        for (const j of [0, 1, 2]) {
          const own = configWith(carriers.filter((c) => c.on === j));
          expect(verdicts(all, `docker_container.c${j}`)).toEqual(
            verdicts(own, `docker_container.c${j}`),
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});
