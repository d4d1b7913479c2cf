import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineConnection } from "../../lib/cli/host-options";
import { runCli } from "../cli/cli-harness";
import { EngineClient } from "../../lib/host/engine-client";
import { JsonReport, jsonReportSchema } from "../../lib/policy/reports/json";
import { FakeContainer, FakeEngine } from "../host/support/fake-engine";

/**
 * `audit --host --format html` in a real headless browser (Debian's chromium, driven by
 * playwright-core): the page renders with its own style under its CSP, the counts on it are the
 * JSON report's, a phone-sized screenshot shows the verdict and the summary, and what an engine
 * reports (a label `<img src=x onerror=alert(1)>`, a name with `</script>`) shows as text with no
 * dialog fired. Needs /usr/bin/chromium (.ci/run installs it); skipped with the reason elsewhere,
 * required under REQUIRE_DOCKER=1 (CI).
 */

const CHROMIUM = "/usr/bin/chromium";
const HOSTILE_LABEL = "<img src=x onerror=alert(1)>";
const HOSTILE_NAME = "evil</script><script>alert(2)</script>";
/** Where the screenshot is kept for a person to look at (HD_HTML_SCREENSHOT overrides). */
const SCREENSHOT = process.env.HD_HTML_SCREENSHOT ?? join(tmpdir(), "hd-html-report-phone.png");

function browserGate(): { run: true } | { run: false; reason: string } {
  if (!existsSync(CHROMIUM)) return { run: false, reason: `${CHROMIUM} is not installed` };
  try {
    require.resolve("playwright-core");
  } catch {
    return { run: false, reason: "playwright-core is not installed" };
  }
  return { run: true };
}

const gate = browserGate();
const required = process.env.REQUIRE_DOCKER === "1";
if (!gate.run && required) {
  test("the HTML report's browser test requires chromium in CI (REQUIRE_DOCKER=1)", () => {
    throw new Error(gate.reason);
  });
} else if (!gate.run) {
  process.stderr.write(`[browser tests] html report skipped: ${gate.reason}\n`);
}
const describeBrowser = gate.run ? describe : describe.skip;

const LABELS = {
  "io.hardened-docker.managed-by": "cdktf-hardened-docker",
  "io.hardened-docker.owner": HOSTILE_LABEL,
  "io.hardened-docker.purpose": HOSTILE_LABEL,
  "io.hardened-docker.expires": HOSTILE_LABEL,
};
const CONTAINERS: FakeContainer[] = [
  { name: "api", labels: { ...LABELS, "io.hardened-docker.expires": "2099-01-01" } },
  { name: HOSTILE_NAME, labels: LABELS, inspect: { HostConfig: { Privileged: true } } },
  {
    name: "legacy",
    labels: {
      "io.hardened-docker.relaxation.writableRootFilesystem": `writes its pid file ${HOSTILE_LABEL}`,
      "io.hardened-docker.relaxation.writableRootFilesystem.rules": "CIS-5.13",
    },
    inspect: { HostConfig: { ReadonlyRootfs: false } },
  },
];

async function audit(format: string): Promise<string> {
  return (await runCli(["audit", "--host", "--no-processes", "--format", format])).stdout;
}

/** A PNG decoded by the browser itself (a canvas on a blank page): its pixels, as RGB. */
async function pixelsOf(
  context: import("playwright-core").BrowserContext,
  png: Buffer,
): Promise<{
  at: (x: number, y: number) => [number, number, number];
  region: (r: { left: number; top: number; width: number; height: number }) => {
    dark: number;
    colours: number;
  };
}> {
  const blank = await context.newPage();
  try {
    const decoded = await blank.evaluate(
      async (dataUrl: string) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        const g = canvas.getContext("2d")!;
        g.drawImage(image, 0, 0);
        return {
          width: image.width,
          height: image.height,
          data: Array.from(g.getImageData(0, 0, image.width, image.height).data),
        };
      },
      `data:image/png;base64,${png.toString("base64")}`,
    );
    const rgb = (x: number, y: number): [number, number, number] => {
      const i = (y * decoded.width + x) * 4;
      return [decoded.data[i]!, decoded.data[i + 1]!, decoded.data[i + 2]!];
    };
    return {
      at: rgb,
      region: (r) => {
        let dark = 0;
        const colours = new Set<string>();
        // Clamped to the image: a table wider than the screen scrolls in its box, and a pixel
        // past the right edge would be read from the next row.
        const bottom = Math.min(Math.floor(r.top + r.height), decoded.height);
        const right = Math.min(Math.floor(r.left + r.width), decoded.width);
        for (let y = Math.max(0, Math.ceil(r.top)); y < bottom; y++) {
          for (let x = Math.max(0, Math.ceil(r.left)); x < right; x++) {
            const [red, green, blue] = rgb(x, y);
            if (red + green + blue < 200) dark++;
            colours.add(`${red},${green},${blue}`);
          }
        }
        return { dark, colours: colours.size };
      },
    };
  } finally {
    await blank.close();
  }
}

describeBrowser("the HTML report in headless chromium", () => {
  const realConnect = engineConnection.connect;
  let dir = "";
  let json: JsonReport;
  let file = "";

  beforeAll(async () => {
    engineConnection.connect = (): EngineClient => new FakeEngine(CONTAINERS);
    dir = mkdtempSync(join(tmpdir(), "hd-html-"));
    json = jsonReportSchema.parse(JSON.parse(await audit("json")));
    file = join(dir, "report.html");
    writeFileSync(file, await audit("html"));
  });

  afterAll(() => {
    engineConnection.connect = realConnect;
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders under its CSP, with the JSON report's counts, hostile text as text, no dialog", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require("playwright-core") as typeof import("playwright-core");
    const context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 390, height: 844 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      const requests: string[] = [];
      const cspViolations: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on("request", (r) => {
        if (!r.url().startsWith("file://")) requests.push(r.url());
      });
      page.on("console", (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(`file://${file}`);

      // The counts on the page are the JSON report's.
      const count = (what: string) =>
        page.textContent(`#summary tfoot [data-count="${what}"]`).then((t) => Number(t));
      for (const status of ["pass", "fail", "unknown", "suppressed", "not-applicable"] as const) {
        expect([status, await count(status)]).toEqual([status, json.summary?.[status]]);
      }
      // Every matrix cell is one finding of a container.
      const cells = await page.$$eval(".matrix td[class]", (tds) => tds.length);
      expect(cells).toBe(json.findings.filter((f) => f.resource.startsWith("container:")).length);

      // What the engine reported shows as text: no element, no script ran, no dialog.
      const body = (await page.textContent("body")) ?? "";
      expect(body).toContain(HOSTILE_LABEL);
      expect(body).toContain(`container:/${HOSTILE_NAME}`);
      expect(await page.$$eval("img", (els) => els.length)).toBe(0);
      expect(await page.$$eval("script", (els) => els.length)).toBe(0);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]); // nothing fetched: self-contained
      // The style block is the one the CSP allows (by hash): a failing cell is red.
      expect(cspViolations).toEqual([]);
      const failBg = await page.$eval(
        ".matrix td.fail",
        (td) => getComputedStyle(td).backgroundColor,
      );
      expect(failBg).toBe("rgb(247, 198, 198)");
      // The waiver and its reason are listed.
      expect(await page.textContent("#waivers")).toContain("writes its pid file <img src=x");

      // On a phone: the verdict and the summary are on the first screen, the page does not
      // scroll sideways (the matrix scrolls inside its own box).
      const verdict = await page.$eval("#verdict", (el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent ?? "", bottom: r.bottom, right: r.right };
      });
      expect(verdict.text).toMatch(/^\d+ blocking findings? \(at level error or above\)\.$/);
      expect(verdict.bottom).toBeLessThan(844);
      expect(verdict.right).toBeLessThanOrEqual(390);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const shot = await page.screenshot({ path: SCREENSHOT, fullPage: false });
      process.stderr.write(`[browser tests] html report screenshot: ${SCREENSHOT}\n`);
      // The screenshot, read back pixel by pixel, shows what a person should see on the first
      // screen: the verdict framed in the blocked red, and the summary table drawn as text.
      const summary = await page.$eval("#summary tfoot", (el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height };
      });
      const pixels = await pixelsOf(context, shot);
      const verdictBox = await page.$eval("#verdict", (el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, height: r.height };
      });
      // The left border (2 px) halfway down the verdict: #b00020.
      const border = pixels.at(
        Math.round(verdictBox.left) + 1,
        Math.round(verdictBox.top + verdictBox.height / 2),
      );
      expect(border).toEqual([0xb0, 0x00, 0x20]);
      expect(summary.top + summary.height).toBeLessThan(844);
      // Text in the summary's totals row (not its header): dark pixels, several colours.
      const inSummary = pixels.region(summary);
      expect(inSummary.dark).toBeGreaterThan(200);
      expect(inSummary.colours).toBeGreaterThan(3);
      // Printable: the print stylesheet lays the matrix out in full.
      await page.emulateMedia({ media: "print" });
      const printOverflow = await page.$eval(".scroll", (el) => getComputedStyle(el).overflowX);
      expect(printOverflow).toBe("visible");
    } finally {
      await context.close();
    }
  }, 60_000);
});
