import { HD_AUDIT_LABELS } from "../../../lib/policy/rules/hd-audit-labels";
import { HD_EXPIRES } from "../../../lib/policy/rules/hd-expires";
import { ruleCases } from "./support/policy-harness";

const labels = (expires?: string, owner = "payments-team") => [
  { label: "io.hardened-docker.owner", value: owner },
  { label: "io.hardened-docker.purpose", value: "tests" },
  ...(expires === undefined ? [] : [{ label: "io.hardened-docker.expires", value: expires }]),
];

const withLifetime = (list: ReturnType<typeof labels>, days: string) => [
  ...list,
  { label: "io.hardened-docker.max-lifetime-days", value: days },
];

describe("HD-AUDIT-LABELS", () => {
  ruleCases(HD_AUDIT_LABELS, [
    {
      name: "owner, purpose and expires",
      raw: {},
      tf: {},
      status: "pass",
      message: /owner "payments-team"/,
    },
    {
      name: "expires missing",
      raw: { config: { labels: labels() } },
      tf: { labels: labels() },
      status: "fail",
      message: /io\.hardened-docker\.expires/,
    },
    {
      name: "an empty owner",
      tf: { labels: labels("2026-06-30", "  ") },
      status: "fail",
      message: /io\.hardened-docker\.owner/,
    },
    { name: "no labels at all", raw: { config: { labels: undefined } }, status: "fail" },
    {
      name: "labels written as a map",
      tf: { labels: { owner: "me" } },
      status: "unknown",
      message: /labels\[0\]\.label is not set/,
    },
  ]);
});

describe("HD-EXPIRES (now is 2026-03-15)", () => {
  ruleCases(HD_EXPIRES, [
    { name: "expires 2026-06-30", raw: {}, tf: {}, status: "pass", message: /in 107 days/ },
    {
      name: "expires today",
      tf: { labels: labels("2026-03-15") },
      status: "pass",
      message: /in 0 days/,
    },
    {
      name: "expired yesterday",
      raw: { config: { labels: labels("2026-03-14") } },
      tf: { labels: labels("2026-03-14") },
      status: "fail",
      message: /expired on 2026-03-14 \(1 days ago\)/,
    },
    {
      name: "no expires label",
      tf: { labels: labels() },
      status: "fail",
      message: /no io\.hardened-docker\.expires label/,
    },
    {
      name: "more than 365 days ahead",
      raw: { config: { labels: labels("2099-12-31") } },
      tf: { labels: labels("2027-03-16") },
      status: "fail",
      message: /in (366|26954) days: more than the 365 days allowed/,
    },
    {
      // Whoever writes the configuration writes the label: it may shorten the bound, never widen it.
      name: "a hand-written max-lifetime label of 3650 days does not widen the bound",
      raw: { config: { labels: withLifetime(labels("2035-06-30"), "3650") } },
      tf: { labels: withLifetime(labels("2035-06-30"), "3650") },
      status: "fail",
      message: /more than the 365 days allowed \(the construct's default bound\)/,
    },
    {
      name: "a max-lifetime label of 30 days shortens it",
      tf: { labels: withLifetime(labels("2026-05-14"), "30") },
      status: "fail",
      message:
        /in 60 days: more than the 30 days allowed \(io\.hardened-docker\.max-lifetime-days label\)/,
    },
    {
      name: "an unparseable date",
      raw: { config: { labels: labels("next year") } },
      tf: { labels: labels("2026-02-30") },
      status: "fail",
      message: /not a date written YYYY-MM-DD/,
    },
  ]);
});
