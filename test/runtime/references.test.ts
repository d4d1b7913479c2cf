import { collectReferences, parseTemplate, resolveReferences } from "../../lib/runtime/references";

const fail = (expression: string, path: string): never => {
  throw new Error(`unsupported ${expression} at ${path}`);
};

describe("parseTemplate", () => {
  it("recognises a whole-string resource reference", () => {
    expect(parseTemplate("${docker_image.web.image_id}")).toEqual([
      {
        kind: "reference",
        reference: {
          address: "docker_image.web",
          attribute: "image_id",
          expression: "${docker_image.web.image_id}",
        },
      },
    ]);
  });

  it("recognises a data source reference inside a longer string", () => {
    const parts = parseTemplate(
      "127.0.0.1:5000/hd/web@${data.docker_registry_image.web.sha256_digest}",
    );
    expect(parts).toEqual([
      { kind: "text", text: "127.0.0.1:5000/hd/web@" },
      {
        kind: "reference",
        reference: {
          address: "data.docker_registry_image.web",
          attribute: "sha256_digest",
          expression: "${data.docker_registry_image.web.sha256_digest}",
        },
      },
    ]);
  });

  it("marks variables, locals, functions and template directives as unsupported", () => {
    for (const expression of [
      "${var.image}",
      "${local.name}",
      '${join(",", ["a"])}',
      "%{ if true }",
    ]) {
      expect(parseTemplate(`x${expression}y`).filter((p) => p.kind === "unsupported")).toHaveLength(
        1,
      );
    }
  });

  it("treats $${ and %%{ as escaped literals", () => {
    expect(parseTemplate("echo $${HOME} %%{x}")).toEqual([
      { kind: "text", text: "echo ${HOME} %{x}" },
    ]);
  });

  it("leaves JSON text (a seccomp profile) untouched", () => {
    const text = 'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}';
    expect(parseTemplate(text)).toEqual([{ kind: "text", text }]);
  });
});

describe("collectReferences / resolveReferences", () => {
  const attrs = {
    image: "${docker_image.web.image_id}",
    networks_advanced: [{ name: "${docker_network.back.name}" }],
    env: ["IMAGE=${docker_image.web.name}", "HOME=$${HOME}"],
    "//": { metadata: { path: "${never.resolved.here}" } },
    memory: 256,
  };

  it("finds every reference with its attribute path, skipping // metadata", () => {
    const { references, unsupported } = collectReferences(attrs);
    expect(
      references.map((r) => `${r.path} -> ${r.reference.address}.${r.reference.attribute}`),
    ).toEqual([
      "image -> docker_image.web.image_id",
      "networks_advanced[0].name -> docker_network.back.name",
      "env[0] -> docker_image.web.name",
    ]);
    expect(unsupported).toEqual([]);
  });

  it("substitutes values inside strings and keeps non-strings", () => {
    const values: Record<string, string> = {
      "docker_image.web.image_id": "sha256:1234",
      "docker_image.web.name": "web:1",
      "docker_network.back.name": "backend",
    };
    const resolved = resolveReferences(attrs, (r) => values[`${r.address}.${r.attribute}`], fail);
    expect(resolved).toEqual({
      image: "sha256:1234",
      networks_advanced: [{ name: "backend" }],
      env: ["IMAGE=web:1", "HOME=${HOME}"],
      memory: 256,
    });
  });

  it("reports an unsupported expression with its path", () => {
    expect(collectReferences({ user: "${var.uid}" }).unsupported).toEqual([
      { path: "user", expression: "${var.uid}" },
    ]);
    expect(() => resolveReferences({ ports: [{ ip: "${local.ip}" }] }, () => "", fail)).toThrow(
      "unsupported ${local.ip} at ports[0].ip",
    );
  });
});
