import { generateKeyPairSync } from "node:crypto";
import type { EngineClient } from "../../lib/host/engine-client";
import { lookUpImageSignatures } from "../../lib/host/image-signatures";

/** The cases of the host look-up that need no registry: what the engine says about the image. */

const key = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
const IMAGE_ID = `sha256:${"12".repeat(32)}`;

function engine(images?: Record<string, unknown>): EngineClient {
  const base = {
    ping: async () => "OK",
    info: async () => ({}),
    listContainers: async () => [],
    getContainer: () => ({ inspect: async () => ({}), top: async () => ({}) }),
  };
  if (images === undefined) return base;
  return {
    ...base,
    getImage: (name: string) => ({
      inspect: async () => {
        if (!(name in images)) throw Object.assign(new Error("no such image"), { statusCode: 404 });
        return images[name];
      },
    }),
  } as EngineClient;
}

describe("lookUpImageSignatures", () => {
  test("an image without a registry digest is not signed, and says why", async () => {
    const facts = await lookUpImageSignatures(
      engine({ [IMAGE_ID]: { RepoDigests: [] } }),
      [{ resource: "container:/a", imageId: IMAGE_ID }],
      [key],
    );
    expect(facts.byResource.get("container:/a")).toEqual({
      signed: false,
      message: expect.stringMatching(/has no registry digest/),
    });
    expect(facts.keys).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{16}$/)]);
  });

  test("an engine client that cannot inspect images leaves the verdict unknown", async () => {
    const facts = await lookUpImageSignatures(
      engine(),
      [{ resource: "container:/a", imageId: IMAGE_ID }],
      [key],
    );
    expect(facts.byResource.get("container:/a")?.signed).toBeUndefined();
  });

  test("an image the engine cannot inspect, or an unreadable .Image, is unknown", async () => {
    const facts = await lookUpImageSignatures(
      engine({}),
      [
        { resource: "container:/a", imageId: IMAGE_ID },
        { resource: "container:/b", imageId: undefined },
      ],
      [key],
    );
    expect(facts.byResource.get("container:/a")).toEqual({
      message: expect.stringMatching(/cannot inspect image/),
    });
    expect(facts.byResource.get("container:/b")?.signed).toBeUndefined();
  });

  test("a registry that does not answer leaves the verdict unknown, never signed", async () => {
    const facts = await lookUpImageSignatures(
      engine({ [IMAGE_ID]: { RepoDigests: [`127.0.0.1:1/x/y@sha256:${"34".repeat(32)}`] } }),
      [{ resource: "container:/a", imageId: IMAGE_ID }],
      [key],
    );
    expect(facts.byResource.get("container:/a")).toEqual({
      message: expect.stringMatching(/cannot check the signature/),
    });
  });
});
