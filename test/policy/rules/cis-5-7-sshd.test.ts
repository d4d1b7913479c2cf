import { modelFromInspect } from "../../../lib/host/inspect";
import { CIS_5_7_SSHD } from "../../../lib/policy/rules/cis-5-7-sshd";
import { check, ruleCases } from "./support/policy-harness";
import { inspectOf } from "./support/inspect-fixtures";

describe("CIS-5.7 sshd", () => {
  ruleCases(CIS_5_7_SSHD, [
    {
      name: "synthesized configuration has no processes",
      raw: { config: { command: ["/usr/sbin/sshd", "-D"] } },
      tf: {},
      status: "not-applicable",
      message: /synthesized configuration/,
    },
  ]);

  it("passes a live container without sshd", () => {
    const model = modelFromInspect(inspectOf(), {
      processes: ["/sbin/tini -- /app/server", "/app/server --port 8080"],
    });
    expect(check(CIS_5_7_SSHD, model)).toEqual({
      status: "pass",
      message: "no sshd among 2 processes",
    });
  });

  it.each([
    ["/usr/sbin/sshd -D"],
    ["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"],
    ["sshd: root@pts/0"],
  ])("fails a live container running %s", (line) => {
    const model = modelFromInspect(inspectOf(), { processes: ["/app/server", line] });
    expect(check(CIS_5_7_SSHD, model).status).toBe("fail");
  });

  it("does not mistake sshd-like names for sshd", () => {
    const model = modelFromInspect(inspectOf(), {
      processes: ["/app/sshd-exporter --port 9100", "tail -f /var/log/sshd.log"],
    });
    expect(check(CIS_5_7_SSHD, model).status).toBe("pass");
  });

  it("is not applicable when the process list was not read", () => {
    expect(check(CIS_5_7_SSHD, modelFromInspect(inspectOf())).status).toBe("not-applicable");
  });
});
