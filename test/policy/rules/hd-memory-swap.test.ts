import { HD_MEMORY_SWAP } from "../../../lib/policy/rules/hd-memory-swap";
import { ruleCases } from "./support/policy-harness";

describe("HD-MEMORY-SWAP", () => {
  ruleCases(HD_MEMORY_SWAP, [
    { name: "memory_swap equals memory", raw: {}, tf: {}, status: "pass" },
    {
      name: "memory_swap unset",
      raw: { config: { memorySwap: undefined } },
      tf: { memory_swap: undefined },
      status: "fail",
      message: /as much again/,
    },
    { name: "memory_swap -1", tf: { memory_swap: -1 }, status: "fail", message: /unlimited swap/ },
    {
      name: "memory_swap above memory",
      raw: { config: { memorySwap: 512 } },
      status: "fail",
      message: /exceeds memory/,
    },
    {
      name: "no memory limit",
      tf: { memory: undefined, memory_swap: undefined },
      status: "fail",
      message: /no memory limit/,
    },
  ]);
});
