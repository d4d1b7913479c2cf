import { Rule } from "../rule";
import { isUnknown } from "../unknown";
import { SERVICE_NOT_ENFORCEABLE } from "../service-limits";
import { fail, notApplicable, pass, unknown } from "./support";

/** HD-MEMORY-SWAP: the container gets no swap beyond its memory limit. */
export const HD_MEMORY_SWAP: Rule = {
  id: "HD-MEMORY-SWAP",
  title: "Ensure that containers cannot use swap beyond their memory limit",
  level: "warning",
  rationale:
    "CIS 5.11 only checks the memory limit. Unless memory_swap equals memory, Docker lets the " +
    "container swap as much again (memory_swap unset) or without limit (-1), which slows the " +
    "whole host and can write secrets from memory to disk.",
  remediation:
    "Set `memory_swap` equal to `memory`. HardenedContainer does (`resources.memoryMiB`).",
  blindSpots: "Whether the host has swap at all, and its swappiness.",
  check: (c) => {
    if (isUnknown(c.memoryBytes)) return unknown(c.memoryBytes);
    if (isUnknown(c.memorySwapBytes)) return unknown(c.memorySwapBytes);
    if (c.memoryBytes <= 0) return fail("no memory limit, so swap is not limited either");
    if (c.memorySwapBytes === c.memoryBytes) return pass("memory_swap equals memory: no swap");
    if (c.kind === "service") {
      return notApplicable(`not enforceable on a service: ${SERVICE_NOT_ENFORCEABLE.memorySwap}`);
    }
    if (c.memorySwapBytes === 0)
      return fail("memory_swap is unset: the container may swap as much again as its memory limit");
    if (c.memorySwapBytes < 0) return fail("memory_swap is -1: unlimited swap");
    return fail(
      `memory_swap (${c.memorySwapBytes} bytes) exceeds memory (${c.memoryBytes} bytes): the container may swap the difference`,
    );
  },
};
