// ESLint flat config: typescript-eslint's recommended rules for the library, tests and benches;
// formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  { ignores: ["dist/**", "node_modules/**", ".venv/**", "artifacts/**", "notebooks/**", "exercises/**", "labs/**", "test/fixtures/**", ".wirelab/**", "tmp/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      // The library is CommonJS (tslab cells) and loads heavy or optional modules lazily with require().
      "@typescript-eslint/no-require-imports": "off",
      // Byte and terminal parsers match control characters on purpose.
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests rethrow with their own message on purpose (the cause is printed by the runner).
    files: ["test/**/*.ts"],
    rules: { "preserve-caught-error": "off" },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
