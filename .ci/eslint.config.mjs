// ESLint flat config. Kept under .ci/ so the project's top level stays as designed;
// `npm run lint` passes it with -c.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";

// lib/policy is the kernel: the model, the rules, the waivers and the engine. It imports nothing
// from another lib/ folder, nor constructs, readers, hosts or the CLI; everyone else imports it.
const KERNEL_LEAVES = (depth) => ({
  regex: `^(\\.\\./){${depth}}`,
  message:
    "lib/policy is the kernel and imports no other lib/ folder: move the fact it needs into lib/policy (e.g. lib/policy/facts/) and import it from there",
});
const KERNEL_PACKAGES = {
  group: ["cdktf", "cdktf/**", "constructs", "@cdktf/**", "dockerode", "commander"],
  message:
    "lib/policy knows nothing of constructs, readers, hosts or the CLI: do this outside the kernel (lib/checks, lib/synth, lib/host, lib/cli)",
};
const kernelBlock = (files, depth) => ({
  files,
  rules: {
    "no-restricted-imports": ["error", { patterns: [KERNEL_LEAVES(depth), KERNEL_PACKAGES] }],
  },
});

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "cdktf.out/**", "coverage/**", "test/e2e/.work/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // Imports in lib/ go one way: no file may reach itself again through its imports.
    files: ["lib/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".d.ts", ".js"] })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  kernelBlock(["lib/policy/*.ts"], 1),
  kernelBlock(["lib/policy/*/*.ts"], 2),
  kernelBlock(["lib/policy/*/*/*.ts"], 3),
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        console: "readonly",
      },
    },
  },
);
