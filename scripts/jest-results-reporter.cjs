// A jest reporter for CI: when COMMLOG_TEST_RESULTS names a folder, every jest run writes its
// counts there as one JSON file (package, Node version, passed, failed, skipped, suites that
// failed to run), which `.ci/run` sums into its closing "N passed, N failed" line.
const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

class ResultsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const folder = process.env.COMMLOG_TEST_RESULTS;
    if (!folder) return;
    let name = path.basename(this.rootDir);
    try {
      name = JSON.parse(readFileSync(path.join(this.rootDir, "package.json"), "utf8")).name ?? name;
    } catch {}
    const record = {
      package: name,
      node: process.version,
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      total: results.numTotalTests,
      // A file that fails to load, or whose beforeAll/afterAll throws, can fail with no failed test.
      filesFailedWithoutFailedTest: results.testResults.filter((r) => r.numFailingTests === 0 && (r.testExecError || r.failureMessage)).length,
      success: results.success,
    };
    mkdirSync(folder, { recursive: true });
    const file = `${name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}-node${process.versions.node}-${process.pid}.json`;
    writeFileSync(path.join(folder, file), `${JSON.stringify(record)}\n`);
  }
}

module.exports = ResultsReporter;
