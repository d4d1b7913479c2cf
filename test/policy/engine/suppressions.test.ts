import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { SUPPRESSION_METADATA_TYPE, Suppressions } from "../../../lib/checks/suppressions";
import { isExpired } from "../../../lib/policy/suppressions";
import { suppressionsFromLabels } from "../../../lib/policy/waiver-codec";
import { HardenedDockerValidationError } from "../../../lib/validation/validation-error";

const REASON = "binds port 80 because the legacy load balancer cannot be reconfigured";

function tree(): { app: App; stack: TerraformStack; web: Construct; inner: Construct } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "shop");
  const web = new Construct(stack, "web");
  const inner = new Construct(web, "inner");
  return { app, stack, web, inner };
}

describe("Suppressions.add", () => {
  it("stores the entries as node metadata on the construct", () => {
    const { web } = tree();
    Suppressions.add(web, [{ ruleId: "CIS-5.8", reason: REASON, expires: "2026-06-30" }]);
    const metadata = web.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA_TYPE);
    expect(metadata).toHaveLength(1);
    expect(metadata[0]?.data).toEqual({ ruleId: "CIS-5.8", reason: REASON, expires: "2026-06-30" });
    expect(Suppressions.on(web)).toEqual([
      {
        ruleId: "CIS-5.8",
        reason: REASON,
        expires: "2026-06-30",
        source: "construct",
        scope: "shop/web",
      },
    ]);
  });

  it("collects suppressions of the whole tree, from any construct in it", () => {
    const { app, stack, inner } = tree();
    Suppressions.add(app, [{ ruleId: "CIS-5.12", reason: REASON }]);
    Suppressions.add(inner, [{ ruleId: "CIS-5.8", reason: REASON }]);
    const scopes = Suppressions.collect(stack).map((s) => [s.scope, s.ruleId]);
    expect(scopes).toEqual([
      ["", "CIS-5.12"],
      ["shop/web/inner", "CIS-5.8"],
    ]);
  });

  it.each([
    ["empty", ""],
    ["whitespace", "    \t "],
    ["one word", "legacyloadbalancerrequirement"],
    ["too short", "needs it ok"],
  ])("refuses a reason that is %s, naming the construct path and the rule", (_label, reason) => {
    const { web } = tree();
    let thrown: unknown;
    try {
      Suppressions.add(web, [{ ruleId: "CIS-5.8", reason }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HardenedDockerValidationError);
    const message = (thrown as Error).message;
    expect(message).toContain("shop/web: suppressions[CIS-5.8].reason");
    expect(message).toContain("at least 20 characters and three words");
    expect(Suppressions.on(web)).toEqual([]);
  });

  it("refuses a missing reason and a malformed rule ID or expiry date", () => {
    const { web } = tree();
    expect(() =>
      Suppressions.add(web, [
        { ruleId: "CIS-5.8" } as unknown as { ruleId: string; reason: string },
      ]),
    ).toThrow(/suppressions\[CIS-5\.8\]\.reason = \(missing\)/);
    expect(() => Suppressions.add(web, [{ ruleId: "privileged", reason: REASON }])).toThrow(
      /suppressions\[privileged\]\.ruleId = "privileged": not a rule ID/,
    );
    expect(() =>
      Suppressions.add(web, [{ ruleId: "CIS-5.8", reason: REASON, expires: "2026-02-30" }]),
    ).toThrow(/suppressions\[CIS-5\.8\]\.expires = "2026-02-30": not a calendar date/);
    expect(() =>
      Suppressions.add(web, [{ ruleId: "CIS-5.8", reason: REASON, expires: "30/06/2026" }]),
    ).toThrow(/YYYY-MM-DD/);
  });

  it("stores nothing when one entry of several is invalid", () => {
    const { web } = tree();
    expect(() =>
      Suppressions.add(web, [
        { ruleId: "CIS-5.8", reason: REASON },
        { ruleId: "CIS-5.4", reason: "x" },
      ]),
    ).toThrow(/suppressions\[CIS-5\.4\]\.reason/);
    expect(Suppressions.on(web)).toEqual([]);
  });
});

describe("isExpired", () => {
  it("holds through the expiry day (UTC) and not after; no expiry never expires", () => {
    const s = { ruleId: "CIS-5.8", reason: REASON, expires: "2026-01-31" };
    expect(isExpired(s, new Date("2026-01-31T23:59:59Z"))).toBe(false);
    expect(isExpired(s, new Date("2026-02-01T00:00:00Z"))).toBe(true);
    expect(isExpired({ ruleId: "CIS-5.8", reason: REASON }, new Date("2999-01-01"))).toBe(false);
  });

  it("treats a damaged date as expired, never as open-ended", () => {
    expect(isExpired({ ruleId: "CIS-5.8", reason: REASON, expires: "soon" }, new Date(0))).toBe(
      true,
    );
  });
});

describe("suppressionsFromLabels", () => {
  it("reads reason and waived rules from a relaxation's two labels", () => {
    expect(
      suppressionsFromLabels({
        "io.hardened-docker.owner": "payments-team",
        "io.hardened-docker.relaxation.noHealthcheck": "a batch job that exits within a minute",
        "io.hardened-docker.relaxation.noHealthcheck.rules": " CIS-5.27 , CIS-4.6,",
      }),
    ).toEqual([
      {
        ruleId: "CIS-5.27",
        reason: "a batch job that exits within a minute",
        source: "label",
        scope: "io.hardened-docker.relaxation.noHealthcheck",
      },
      {
        ruleId: "CIS-4.6",
        reason: "a batch job that exits within a minute",
        source: "label",
        scope: "io.hardened-docker.relaxation.noHealthcheck",
      },
    ]);
  });

  it("ignores relaxations without a real reason, of unknown kinds, or naming rules they cannot waive", () => {
    expect(
      suppressionsFromLabels({
        "io.hardened-docker.relaxation.runAsRoot": "needed",
        "io.hardened-docker.relaxation.runAsRoot.rules": "CIS-4.1",
        "io.hardened-docker.relaxation.everything": "because the vendor said so, trust them",
        "io.hardened-docker.relaxation.everything.rules": "CIS-5.5",
        "io.hardened-docker.relaxation.writableRootFilesystem.rules": "CIS-5.13",
        "io.hardened-docker.relaxation.privilegedPorts": "the legacy load balancer probes port 80",
        "io.hardened-docker.relaxation.privilegedPorts.rules": "CIS-5.5,CIS-5.10",
      }),
    ).toEqual([]);
  });

  it("accepts a custom table of what each kind may waive", () => {
    const result = suppressionsFromLabels(
      {
        "io.hardened-docker.relaxation.gpu": "the model server needs the GPU device node",
        "io.hardened-docker.relaxation.gpu.rules": "CIS-5.18",
      },
      { waivable: { gpu: ["CIS-5.18"] } },
    );
    expect(result.map((s) => s.ruleId)).toEqual(["CIS-5.18"]);
  });
});
