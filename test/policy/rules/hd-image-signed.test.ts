import { HD_IMAGE_SIGNED } from "../../../lib/policy/rules/hd-image-signed";
import { check, fixtureModel } from "./support/policy-harness";

describe("HD-IMAGE-SIGNED", () => {
  const model = fixtureModel();
  const facts = (entry?: { signed?: boolean; message: string }) => ({
    imageSignatures: {
      keys: ["sha256:0123456789abcdef"],
      byResource: new Map(entry ? [[model.resource, entry]] : []),
    },
  });

  test("is not applicable without a trusted key, and says how to give one", () => {
    expect(check(HD_IMAGE_SIGNED, model)).toEqual({
      status: "not-applicable",
      message: expect.stringMatching(/no trusted key given.*--trusted-key/),
    });
  });

  test("passes when the look-up found a signature by a trusted key", () => {
    const verdict = check(HD_IMAGE_SIGNED, model, facts({ signed: true, message: "signed by k" }));
    expect(verdict.status).toBe("pass");
    expect(verdict.message).toContain("signed by k");
  });

  test("fails with the look-up's reason when no trusted key signed the digest", () => {
    const verdict = check(
      HD_IMAGE_SIGNED,
      model,
      facts({ signed: false, message: "not signed: no cosign signature" }),
    );
    expect(verdict).toEqual({
      status: "fail",
      message: expect.stringContaining("not signed: no cosign signature"),
    });
  });

  test("is unknown, never passed, when the registry could not be asked or nothing was looked up", () => {
    expect(
      check(HD_IMAGE_SIGNED, model, facts({ message: "registry unreachable: ECONNREFUSED" })),
    ).toEqual({ status: "unknown", message: "registry unreachable: ECONNREFUSED" });
    expect(check(HD_IMAGE_SIGNED, model, facts()).status).toBe("unknown");
  });
});
