import { CIS_5_26_NO_NEW_PRIVILEGES } from "../../lib/policy/rules/cis-5-26-no-new-privileges";
import { engineDescribe, engineGate } from "../support/engine-gate";
import { docker, sweepSuite, testLabels } from "./support/engine";
import { buildE2EImages, E2EImages } from "./support/images";
import { modelFromSecurityOpt } from "./support/no-new-privileges-model";

/**
 * CIS 5.26 reads `no-new-privileges` values as the Engine does (Go's strconv.ParseBool): every
 * spelling the rule passes gives the process NoNewPrivs 1 on a real engine, every one it fails
 * gives 0 or is refused by the Engine.
 */

const SUITE = "no-new-privileges-spellings";
const gate = engineGate("no-new-privileges spellings", { registry: true });

/** NoNewPrivs of a container's first process, or "refused" when the Engine rejects the option. */
async function noNewPrivs(image: string, option: string): Promise<string> {
  let container;
  try {
    container = await docker().createContainer({
      Image: image,
      Entrypoint: ["cat", "/proc/self/status"],
      Labels: testLabels(SUITE),
      HostConfig: { SecurityOpt: [option] },
    });
  } catch {
    return "refused";
  }
  try {
    await container.start();
    await container.wait();
    const logs = (await container.logs({ stdout: true, stderr: true })).toString("latin1");
    return /NoNewPrivs:\s*(\d)/.exec(logs)?.[1] ?? "missing";
  } catch {
    return "refused";
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

engineDescribe("no-new-privileges spellings", gate)(
  "CIS 5.26 agrees with the engine on every spelling of no-new-privileges",
  () => {
    let images: E2EImages | undefined;
    beforeAll(async () => {
      await sweepSuite(SUITE);
      images = await buildE2EImages();
    }, 180_000);
    afterAll(() => sweepSuite(SUITE));

    it.each([
      ["no-new-privileges"],
      ["no-new-privileges=1"],
      ["no-new-privileges:True"],
      ["no-new-privileges=t"],
      ["no-new-privileges=0"],
      ["no-new-privileges:false"],
      ["no-new-privileges=yes"],
    ])(
      "%s",
      async (option) => {
        const live = await noNewPrivs((images as E2EImages).web, option);
        const verdict = CIS_5_26_NO_NEW_PRIVILEGES.check(modelFromSecurityOpt([option]), {
          now: new Date(),
        }).status;
        expect(verdict === "pass").toBe(live === "1");
      },
      60_000,
    );
  },
);
