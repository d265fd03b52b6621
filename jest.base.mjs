// The jest setup every package shares. Tests run as native ES modules (jest's ESM mode, hence
// `node --experimental-vm-modules` in each package's test script): the packages are ESM with
// NodeNext resolution, the tests use top-level await and import.meta.url, and the workspace
// packages they import are plain ESM in dist/. @swc/jest strips the types (no type checking:
// that stays with `tsc --noEmit`), keeping `import ... with { type: "json" }` as written.
import { fileURLToPath } from "node:url";

const resultsReporter = fileURLToPath(new URL("./scripts/jest-results-reporter.cjs", import.meta.url));

/** @param {{ testTimeout?: number } & import("jest").Config} overrides */
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: "node",
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    extensionsToTreatAsEsm: [".ts"],
    moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
    // NodeNext imports name the emitted file (`./x.js`); in the sources that file is `./x.ts`.
    moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
    transform: {
      "^.+\\.ts$": [
        "@swc/jest",
        {
          jsc: {
            parser: { syntax: "typescript" },
            target: "es2022",
            experimental: { keepImportAttributes: true, emitAssertForImportAttributes: false },
          },
          module: { type: "es6" },
          sourceMaps: "inline",
        },
      ],
    },
    // Nothing under node_modules or dist/ is transformed: both are plain ESM or CommonJS already.
    transformIgnorePatterns: ["/node_modules/", "/dist/"],
    // `.ci/run` sets COMMLOG_TEST_RESULTS to a folder: each run writes its counts there as JSON.
    reporters: ["default", resultsReporter],
    testTimeout: 30_000,
    ...overrides,
  };
}
