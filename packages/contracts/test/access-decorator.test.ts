import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "@jest/globals";

// `@callableBy` (specs/common/permissions.tsp) is typed: a misspelt permission, access level or
// scheme fails `tsp compile`, and a valid rule becomes the operation's x-commlog-access extension.

const specsDir = fileURLToPath(new URL("../../../specs", import.meta.url));
const compilerMain = createRequire(import.meta.url).resolve("@typespec/compiler");
const tspCli = join(compilerMain.slice(0, compilerMain.lastIndexOf("/dist/")), "cmd/tsp.js");
// Inside the package, so that the scratch specs resolve "@typespec/http" like the real ones.
const scratch = mkdtempSync(fileURLToPath(new URL("./.scratch-", import.meta.url)));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function compile(rule: string): { ok: boolean; output: string; document?: any } {
  const dir = mkdtempSync(join(scratch, "spec-"));
  writeFileSync(
    join(dir, "main.tsp"),
    `import "@typespec/http";
import "${join(specsDir, "common/main.tsp")}";
using TypeSpec.Http;
using Commlog.Common;
/** A service. */
@service(#{ title: "t" })
namespace T;
/** An operation. */
@callableBy(${rule})
@get op read(): void;
`,
  );
  const result = spawnSync(process.execPath, [tspCli, "compile", join(dir, "main.tsp"), "--emit", "@typespec/openapi3", "--option", "@typespec/openapi3.file-type=json", "--output-dir", join(dir, "out")], {
    cwd: specsDir,
    encoding: "utf8",
  });
  const ok = result.status === 0;
  return { ok, output: result.stdout + result.stderr, ...(ok ? { document: JSON.parse(readFileSync(join(dir, "out/@typespec/openapi3/openapi.json"), "utf8")) } : {}) };
}

describe("the @callableBy decorator", () => {
  it("turns a valid rule into x-commlog-access, permissions and levels by name", () => {
    const result = compile("#{ scheme: \"ApiKey\", anyOf: #[Status200Permission.ReadSmsLog, Status200Permission.ProjectOwner] }");
    assert.ok(result.ok, result.output);
    assert.deepEqual(result.document.paths["/"].get["x-commlog-access"], { scheme: "ApiKey", anyOf: ["ReadSmsLog", "ProjectOwner"] });
  });

  for (const [mistake, rule, diagnostic] of [
    ["a misspelt permission", "#{ scheme: \"ApiKey\", anyOf: #[Status200Permission.ReadSmsLogs] }", /doesn't have member ReadSmsLogs/],
    ["a permission as a bare string", "#{ scheme: \"ApiKey\", anyOf: #[\"ReadSmsLog\"] }", /not assignable/],
    ["a misspelt access level", "#{ scheme: \"Bearer\", accessLevels: #[AccessLevel.OWNR] }", /doesn't have member OWNR/],
    ["an unknown scheme", "#{ scheme: \"AdminTokn\" }", /not assignable to parameter of type 'Commlog.Common.AccessRule'/],
    ["a rule of the wrong shape", "#{ scheme: \"ApiKey\", notViaApi: false }", /not assignable/],
  ] as const) {
    it(`fails tsp compile on ${mistake}`, () => {
      const result = compile(rule);
      assert.equal(result.ok, false);
      assert.match(result.output, diagnostic);
    });
  }
});
