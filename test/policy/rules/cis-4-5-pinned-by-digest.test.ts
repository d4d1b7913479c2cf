import { CIS_4_5_PINNED_BY_DIGEST } from "../../../lib/policy/rules/cis-4-5-pinned-by-digest";
import { check, DIGEST, fixture, modelOf, ruleCases } from "./support/policy-harness";

describe("CIS-4.5 image pinned by digest", () => {
  ruleCases(CIS_4_5_PINNED_BY_DIGEST, [
    { name: "name@sha256:<64 hex>", raw: {}, tf: {}, status: "pass", message: /pinned by digest/ },
    {
      name: "tag and digest",
      tf: { image: `registry.example.com/payments/api:1.0@${DIGEST}` },
      status: "pass",
    },
    {
      name: "a tag",
      raw: { config: { image: "registry.example.com/payments/api:1.0" } },
      tf: { image: "nginx:1.27" },
      status: "fail",
      message: /not pinned by digest/,
    },
    { name: ":latest", tf: { image: "nginx:latest" }, status: "fail" },
    { name: "no tag at all", raw: { config: { image: "nginx" } }, status: "fail" },
    {
      name: "a short digest is not a digest",
      tf: { image: "nginx@sha256:abc" },
      status: "unknown",
      message: /not a valid image reference/,
    },
  ]);

  describe("docker_image references (hand-written tag-resolved fixture)", () => {
    const stack = fixture("tag-resolved.tf.json");
    it("passes a docker_image pinned to data.docker_registry_image.sha256_digest", () => {
      const verdict = check(CIS_4_5_PINNED_BY_DIGEST, modelOf(stack, "resolved"));
      expect(verdict.status).toBe("pass");
    });
    it("fails a docker_image that names a tag", () => {
      expect(check(CIS_4_5_PINNED_BY_DIGEST, modelOf(stack, "tagged")).status).toBe("fail");
    });
    it("is unknown for a docker_image that is not in the stack, or a variable", () => {
      expect(check(CIS_4_5_PINNED_BY_DIGEST, modelOf(stack, "missing"))).toEqual({
        status: "unknown",
        message: "image refers to docker_image.nowhere, which is not in this stack",
      });
      expect(check(CIS_4_5_PINNED_BY_DIGEST, modelOf(stack, "variable")).message).toBe(
        "image is only known at apply time: ${var.image}",
      );
    });
  });
});
