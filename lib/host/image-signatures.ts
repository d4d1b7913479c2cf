import type { KeyObject } from "node:crypto";
import type { ImageSignatureFacts } from "../policy/rule";
import { keyFingerprint } from "../image/signature/public-key";
import { verifyImageSignature } from "../image/signature/verify-signature";
import type { EngineClient } from "./engine-client";
import { shortMessage } from "./engine-errors";

/**
 * The registry look-ups behind HD-IMAGE-SIGNED, done before the (pure) rules run: for each
 * container, the image it runs (`.Image`, an image ID), that image's registry digests
 * (`RepoDigests` of `GET /images/{id}/json`), and whether a cosign signature by a trusted key
 * covers one of them. One look-up per image, however many containers run it.
 */

/** What {@link lookUpImageSignatures} needs of each container: its resource and `.Image`. */
export interface ContainerImageRef {
  readonly resource: string;
  /** The container's `.Image` (`sha256:<hex>` image ID), undefined when unreadable. */
  readonly imageId: string | undefined;
}

/** The engine's image inspect, which `EngineClient` implementations may offer (dockerode does). */
type ImageInspector = { getImage?(name: string): { inspect(): Promise<unknown> } };

function repoDigests(inspect: unknown): string[] {
  const list =
    typeof inspect === "object" && inspect !== null
      ? (inspect as { RepoDigests?: unknown }).RepoDigests
      : undefined;
  return Array.isArray(list) ? list.filter((d): d is string => typeof d === "string") : [];
}

async function lookUpOne(
  client: EngineClient & ImageInspector,
  imageId: string,
  keys: readonly KeyObject[],
): Promise<{ signed?: boolean; message: string }> {
  if (typeof client.getImage !== "function") {
    return { message: "the engine client cannot inspect images, so the digest is not known" };
  }
  let digests: string[];
  try {
    digests = repoDigests(await client.getImage(imageId).inspect());
  } catch (error) {
    return { message: `cannot inspect image ${imageId}: ${shortMessage(error)}` };
  }
  if (digests.length === 0) {
    return {
      signed: false,
      message: `image ${imageId.slice(0, 19)} has no registry digest (built or loaded locally), so no signature can cover it`,
    };
  }
  const reasons: string[] = [];
  let unreachable: string | undefined;
  for (const digest of digests) {
    try {
      const verdict = await verifyImageSignature(digest, keys);
      if (verdict.signed) return { signed: true, message: `${digest} is ${verdict.reason}` };
      reasons.push(verdict.reason);
    } catch (error) {
      unreachable = `cannot check the signature of ${digest}: ${shortMessage(error)}`;
    }
  }
  if (unreachable !== undefined && reasons.length === 0) return { message: unreachable };
  return { signed: false, message: reasons.join("; ") };
}

/** Looks up the signatures of the containers' images (one look-up per image ID). */
export async function lookUpImageSignatures(
  client: EngineClient,
  containers: readonly ContainerImageRef[],
  keys: readonly KeyObject[],
): Promise<ImageSignatureFacts> {
  const byImage = new Map<string, Promise<{ signed?: boolean; message: string }>>();
  const byResource = new Map<string, { signed?: boolean; message: string }>();
  for (const { resource, imageId } of containers) {
    if (imageId === undefined) {
      byResource.set(resource, { message: "the container's .Image is not readable" });
      continue;
    }
    let pending = byImage.get(imageId);
    if (!pending) {
      pending = lookUpOne(client as EngineClient & ImageInspector, imageId, keys);
      byImage.set(imageId, pending);
    }
    byResource.set(resource, await pending);
  }
  return { keys: keys.map(keyFingerprint), byResource };
}
