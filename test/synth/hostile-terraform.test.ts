import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { modelsFromTerraformJson } from "../../lib/synth/terraform-json";
import { jsonReportSchema } from "../../lib/policy/reports/json";
import { loadSynthesizedStacks, SynthInputError } from "../../lib/synth";
import { isUnknown } from "../../lib/policy/unknown";
import { runCli } from "../cli/cli-harness";

/**
 * Terraform JSON that Terraform accepts (or loads beside the stack) and a gate must not pass:
 * each case was exit 0 before the one reader in lib/synth.
 */

type Json = Record<string, unknown>;
const COMPLIANT = join(__dirname, "..", "fixtures", "terraform", "compliant.tf.json");

/** The compliant fixture, with an expiry date a month ahead so it passes HD-EXPIRES today. */
function compliant(): Json {
  const stack = JSON.parse(readFileSync(COMPLIANT, "utf8")) as Json;
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const labels = (stack.resource as Json).docker_container as Json;
  const api = labels.api_container_1A2B3C4D as { labels: { label: string; value: string }[] };
  for (const l of api.labels) if (l.label === "io.hardened-docker.expires") l.value = expires;
  return stack;
}

it("the compliant fixture passes as it is: every exit 1 below is the hostile change", async () => {
  const result = await runCli(["audit", "--synth", COMPLIANT_COPY()]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
});
function containers(stack: Json): Json {
  return (stack.resource as Json).docker_container as Json;
}
function body(stack: Json): Json {
  return containers(stack).api_container_1A2B3C4D as Json;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hd-hostile-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function COMPLIANT_COPY(): string {
  return write("compliant.tf.json", JSON.stringify(compliant()));
}

async function audit(path: string, ...extra: string[]) {
  return runCli(["audit", "--synth", path, "--format", "json", ...extra]);
}

function statusOf(stdout: string, ruleId: string, resource?: string): string[] {
  const report = jsonReportSchema.parse(JSON.parse(stdout));
  return report.findings
    .filter((f) => f.ruleId === ruleId && (resource === undefined || f.resource === resource))
    .map((f) => f.status);
}

describe("duplicate keys: Terraform applies both, JSON.parse keeps the last", () => {
  it('refuses a second "resource" key (exit 2, naming the line)', async () => {
    const privileged = { ...body(compliant()), privileged: true };
    const text = `{"resource": {"docker_container": {"evil": ${JSON.stringify(privileged)}}},\n"resource": ${JSON.stringify(compliant().resource)}}`;
    const result = await audit(write("dup.tf.json", text));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /dup\.tf\.json: not valid Terraform JSON \(line 2: the key "resource" appears twice/,
    );
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it('refuses two "volumes" keys in one body', async () => {
    const text = JSON.stringify(compliant()).replace(
      '"name":"api",',
      '"name":"api","volumes":[{"host_path":"/var/run/docker.sock","container_path":"/s"}],"volumes":[],',
    );
    const result = await audit(write("dup-volumes.tf.json", text));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the key "volumes" appears twice/);
  });
});

describe("array forms Terraform plans", () => {
  const privileged = (): Json => ({ ...body(compliant()), privileged: true });

  it.each([
    [
      "resource as an array",
      (s: Json) => ({ ...s, resource: [s.resource, { docker_container: { evil: privileged() } }] }),
    ],
    [
      "a resource type as an array",
      (s: Json) => ({
        ...s,
        resource: {
          ...(s.resource as Json),
          docker_container: [containers(s), { evil: privileged() }],
        },
      }),
    ],
    [
      "a body as an array",
      (s: Json) => ({
        ...s,
        resource: {
          ...(s.resource as Json),
          docker_container: { ...containers(s), evil: [privileged()] },
        },
      }),
    ],
  ])("reads %s and fails the privileged container in it", async (_, shape) => {
    const result = await audit(write("arrays.tf.json", JSON.stringify(shape(compliant()))));
    expect(result.code).toBe(1);
    expect(statusOf(result.stdout, "CIS-5.5", "docker_container.evil")).toEqual(["fail"]);
  });
});

describe("dynamic blocks at any depth are unknown, and unknowns block", () => {
  it("an array-form dynamic block on the container", async () => {
    const stack = compliant();
    body(stack).dynamic = [
      { capabilities: { for_each: "${var.caps}", content: { add: ["SYS_ADMIN"] } } },
    ];
    const result = await audit(write("dyn.tf.json", JSON.stringify(stack)));
    expect(statusOf(result.stdout, "CIS-5.4")).toEqual(["unknown"]);
    expect(result.code).toBe(1);
  });

  it("a dynamic block inside mounts", () => {
    const stack = compliant();
    body(stack).mounts = [
      {
        type: "bind",
        target: "/data",
        source: "/srv/data",
        dynamic: { bind_options: { for_each: "${var.p}", content: { propagation: "rshared" } } },
      },
    ];
    const [model] = modelsFromTerraformJson(stack).models;
    expect(isUnknown(model?.mounts)).toBe(true);
  });

  it("a dynamic block inside a service's container_spec", () => {
    const stack = {
      resource: {
        docker_service: {
          svc: {
            name: "svc",
            task_spec: {
              container_spec: {
                image: "nginx@sha256:" + "a".repeat(64),
                dynamic: {
                  mounts: {
                    for_each: "${var.m}",
                    content: { type: "bind", source: "/var/run/docker.sock", target: "/s" },
                  },
                },
              },
            },
          },
        },
      },
    };
    const [model] = modelsFromTerraformJson(stack).models;
    expect(isUnknown(model?.mounts)).toBe(true);
  });

  it("lets unknowns through only with --allow-unknown, and the report says so", async () => {
    const stack = compliant();
    body(stack).user = "${var.user}";
    const file = write("unknown.tf.json", JSON.stringify(stack));
    expect((await audit(file)).code).toBe(1);
    const allowed = await audit(file, "--allow-unknown");
    expect(allowed.code).toBe(0);
    // An unknown user is unknown to CIS-4.1 and to HD-ROOT-GROUP (which group it runs in).
    expect(JSON.parse(allowed.stdout).unknownsLetThrough).toBe(2);
    const text = await runCli(["audit", "--synth", file, "--allow-unknown"]);
    expect(text.stdout).toMatch(/2 unknown findings were let through at level error/);
  });
});

describe("what Terraform loads that the audit did not read", () => {
  it("a module block is an error-level unknown", async () => {
    const stack = { ...compliant(), module: { evil: { source: "./evil" } } };
    const result = await audit(write("module.tf.json", JSON.stringify(stack)));
    expect(result.code).toBe(1);
    expect(statusOf(result.stdout, "HD-INPUT")).toEqual(["unknown"]);
    expect(result.stdout).toContain("module.evil");
  });

  it("reads the other *.tf.json files of a stack folder", async () => {
    write("out/stacks/web/cdk.tf.json", JSON.stringify(compliant()));
    write(
      "out/stacks/web/extra.tf.json",
      JSON.stringify({
        resource: { docker_container: { evil: { ...body(compliant()), privileged: true } } },
      }),
    );
    const result = await audit(join(dir, "out"));
    expect(result.code).toBe(1);
    expect(statusOf(result.stdout, "CIS-5.5", "docker_container.evil")).toEqual(["fail"]);
    const sarif = await runCli(["audit", "--synth", join(dir, "out"), "--format", "sarif"]);
    expect(sarif.stdout).toContain("extra.tf.json");
  });

  it.each([["web_override.tf.json"], ["override.tf.json"], ["web_override.tf"]])(
    "refuses %s in a stack folder (exit 2)",
    async (name) => {
      write("out/stacks/web/cdk.tf.json", JSON.stringify(compliant()));
      write(`out/stacks/web/${name}`, "{}");
      const result = await audit(join(dir, "out", "stacks", "web", "cdk.tf.json"));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(name);
    },
  );

  it("refuses a manifest pointing outside its folder, and never echoes a file's content", async () => {
    write("secret.txt", "TOPSECRET-LINE root:x:0:0\n");
    write(
      "out/manifest.json",
      JSON.stringify({ stacks: { s: { synthesizedStackPath: "../secret.txt" } } }),
    );
    const outside = await audit(join(dir, "out"));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/lies outside/);
    expect(outside.stderr).not.toContain("TOPSECRET");
    write("out2/stacks/s/cdk.tf.json", "TOPSECRET-LINE root:x:0:0\n");
    const garbage = await audit(join(dir, "out2", "stacks", "s", "cdk.tf.json"));
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).not.toContain("TOPSECRET");
  });

  it("refuses an extra top-level key for audit and drift alike", async () => {
    const file = write("extra-key.tf.json", JSON.stringify({ ...compliant(), resources: {} }));
    expect((await audit(file)).code).toBe(2);
    expect(() => loadSynthesizedStacks(file)).toThrow(SynthInputError);
    expect((await runCli(["drift", "--synth", file])).code).toBe(2);
  });
});

describe("Terraform's and Docker's type conversions", () => {
  it('"privileged": "1" is a privileged container', async () => {
    const stack = compliant();
    body(stack).privileged = "1";
    const result = await audit(write("p.tf.json", JSON.stringify(stack)));
    expect(statusOf(result.stdout, "CIS-5.5")).toEqual(["fail"]);
  });

  it.each([["no-new-privileges=1"], ["no-new-privileges:True"], ["no-new-privileges=t"]])(
    "%s passes CIS 5.26",
    async (option) => {
      const stack = compliant();
      const opts = body(stack).security_opts as string[];
      body(stack).security_opts = [option, ...opts.filter((o) => !o.startsWith("no-new"))];
      const result = await audit(write("nnp.tf.json", JSON.stringify(stack)));
      expect(statusOf(result.stdout, "CIS-5.26")).toEqual(["pass"]);
    },
  );

  it.each([["no-new-privileges=0"], ["no-new-privileges:False"], ["no-new-privileges=yes"]])(
    "%s fails CIS 5.26",
    async (option) => {
      const stack = compliant();
      body(stack).security_opts = [option];
      const result = await audit(write("nnp.tf.json", JSON.stringify(stack)));
      expect(statusOf(result.stdout, "CIS-5.26")).toEqual(["fail"]);
    },
  );
});

describe("inputs that are not regular files", () => {
  it("refuses a FIFO without waiting for a writer", async () => {
    const fifo = join(dir, "pipe.tf.json");
    execFileSync("mkfifo", [fifo]);
    const result = await audit(fifo);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a pipe \(FIFO\), not a regular file/);
  });

  it("refuses a character device instead of reading it without end", async () => {
    const result = await audit("/dev/zero");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a character device, not a regular file/);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("refuses a file of millions of small objects in seconds, not minutes", async () => {
    const file = write("small.tf.json", `{"resource":[${"{},".repeat(2_100_000)}{}]}`);
    const started = Date.now();
    const result = await audit(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/more than 2,000,000 values/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
