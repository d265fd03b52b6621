import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "@jest/globals";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const scratch = mkdtempSync(join(tmpdir(), "commlog-consumer-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the contracts package outside the monorepo", () => {
  it("packs, installs into a scratch project, type-checks and runs", () => {
    assert.ok(existsSync(join(packageDir, "dist/index.js")), "build the package first (npm run build)");
    execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: packageDir, stdio: "pipe" });
    const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
    assert.ok(tarball);

    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${tarball}`], { cwd: scratch, stdio: "pipe" });

    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, lib: ["ES2023", "DOM"], types: [] } }),
    );
    writeFileSync(
      join(scratch, "consumer.ts"),
      `import type { SmsLog, Status200, TelecomX, AccessRule } from "@commlog/contracts";
import { createStatus200Client, permissionTable } from "@commlog/contracts";
const client = createStatus200Client({ baseUrl: "http://127.0.0.1:3000", apiKey: "key" });
export async function firstPage(): Promise<SmsLog[]> {
  const query: Status200.SmsLogQuery = { status: "Delivered" };
  const { data } = await client.POST("/api/sms-log/get-list", { body: { query, select: { status: true } } });
  return data?.data ?? [];
}
export const rule: AccessRule = permissionTable.status200.SmsLogs_list.access;
export type Message = TelecomX.Message;
`,
    );
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: scratch, stdio: "pipe" });

    const output = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `import { loadOpenApiDocument, permissionTable } from "@commlog/contracts";
console.log(loadOpenApiDocument("exolve").openapi, Object.keys(permissionTable).join(","));`],
      { cwd: scratch, encoding: "utf8" },
    );
    assert.equal(output.trim(), "3.1.0 status200,telecomx,exolve,internal");
  });
});
