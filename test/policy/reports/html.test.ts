import { createHash } from "node:crypto";
import { Finding } from "../../../lib/policy/findings";
import { escapeHtml, htmlReportCsp, renderHtmlReport } from "../../../lib/policy/reports/html";

/** The HTML report's text, without a browser (html-browser.test.ts renders it in chromium). */

const HOSTILE = `<img src=x onerror=alert(1)>"'&</script>`;

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: "CIS-5.5",
    title: "Ensure that privileged containers are not used",
    level: "error",
    status: "fail",
    resource: `container:/${HOSTILE}`,
    engine: `unix:///${HOSTILE}`,
    message: `privileged is true on ${HOSTILE}`,
    remediation: "Remove privileged.",
    ...over,
  };
}

describe("renderHtmlReport", () => {
  const page = renderHtmlReport(
    [
      finding({}),
      finding({
        ruleId: "CIS-5.13",
        status: "suppressed",
        suppression: {
          reason: `legacy ${HOSTILE}`,
          source: "label",
          scope: "io.hardened-docker.relaxation.writableRootFilesystem",
        },
      }),
    ],
    { now: new Date("2026-12-07T00:00:00Z") },
  );

  it("escapes everything the engine wrote: no tag or attribute of it survives", () => {
    expect(escapeHtml(HOSTILE)).toBe(
      "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;",
    );
    expect(page).not.toContain("<img");
    expect(page).not.toContain("</script>");
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain(escapeHtml(`privileged is true on ${HOSTILE}`));
  });

  it("forbids scripts and everything remote, and allows its one style block by hash", () => {
    const csp = htmlReportCsp();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    const hash = createHash("sha256").update(style).digest("base64");
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    );
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it("lists the waiver with its reason and links the failing cell to its explanation", () => {
    expect(page).toContain(`<td>${escapeHtml(`legacy ${HOSTILE}`)}</td>`);
    expect(page).toMatch(/<td class="fail" title="[^"]*"><a href="#f0-0-0">✗<\/a><\/td>/);
    expect(page).toContain(`<li id="f0-0-0" class="fail">`);
  });
});
