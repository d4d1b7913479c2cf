import {
  CIS_4_2_TRUSTED_REGISTRY,
  repositoryNames,
} from "../../../lib/policy/rules/cis-4-2-trusted-registry";
import { DIGEST, ruleCases } from "./support/policy-harness";

const trusted = { trustedRegistries: ["registry.example.com/payments"] };

describe("CIS-4.2 trusted registries", () => {
  ruleCases(CIS_4_2_TRUSTED_REGISTRY, [
    {
      name: "no allowlist configured",
      raw: {},
      tf: {},
      status: "not-applicable",
      message: /no trusted registries allowlist/,
    },
    {
      name: "image under an allowed prefix",
      raw: {},
      tf: {},
      context: trusted,
      status: "pass",
      message: /registry\.example\.com\/payments\/api is in the trusted registries/,
    },
    {
      name: "image from another registry",
      raw: { config: { image: `evil.example.com/payments/api@${DIGEST}` } },
      tf: { image: "docker.io/library/nginx:1.27" },
      context: trusted,
      status: "fail",
      message: /is not in the trusted registries \("registry\.example\.com\/payments"\)/,
    },
    {
      name: "a prefix matches whole path components only",
      tf: { image: `registry.example.com/payments-evil/api@${DIGEST}` },
      context: trusted,
      status: "fail",
    },
    {
      name: "an empty allowlist trusts nothing",
      tf: {},
      context: { trustedRegistries: [] },
      status: "fail",
    },
    {
      name: "a Docker Hub short name matches a docker.io/library allowlist",
      raw: { config: { image: "nginx:1.27" } },
      context: { trustedRegistries: ["docker.io/library"] },
      status: "pass",
    },
    {
      name: "an image referenced by ID names no repository",
      tf: { image: DIGEST },
      context: trusted,
      status: "unknown",
      message: /referenced by ID/,
    },
  ]);

  it("knows a Docker Hub repository under its canonical names", () => {
    expect(repositoryNames("nginx")).toEqual(["nginx", "docker.io/library/nginx"]);
    expect(repositoryNames("grafana/grafana")).toEqual([
      "grafana/grafana",
      "docker.io/grafana/grafana",
    ]);
    expect(repositoryNames("docker.io/nginx")).toEqual([
      "docker.io/nginx",
      "docker.io/library/nginx",
    ]);
    expect(repositoryNames("127.0.0.1:5000/hd/web")).toEqual(["127.0.0.1:5000/hd/web"]);
  });
});
