import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "@jest/globals";
import { fileURLToPath } from "node:url";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
import { callJson, freePort } from "./support/servers.js";

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "commlog-demo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The printed curl commands, each with its continuation lines. */
function curlCommands(output: string): string[] {
  const commands: string[] = [];
  let current: string | undefined;
  for (const line of output.split("\n")) {
    if (line.startsWith("curl ")) current = line;
    else if (current !== undefined) current += `\n${line}`;
    if (current !== undefined && !line.endsWith("\\")) {
      commands.push(current);
      current = undefined;
    }
  }
  return commands;
}

describe("npm run demo", () => {
  it("fills the embedded database and every printed curl command works against npm start", async () => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), COMMLOG_DATA_DIR: dataDir, DATABASE_URL: "", COMMLOG_ADMIN_TOKEN: "", LOG_LEVEL: "warn" };
    const output = execFileSync(process.execPath, ["--import", "tsx", "src/demo.ts"], { cwd: serverDir, env, encoding: "utf8" });
    const commands = curlCommands(output);
    assert.ok(commands.length >= 7, output);

    const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: serverDir, env, stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("serving every dialect") && resolve());
        server.once("exit", () => reject(new Error("the server exited")));
      });
      for (const command of commands) {
        const checked = command.replace(/^curl -s /, "curl -s -o /dev/null -w '%{http_code}' ");
        const status = execFileSync("bash", ["-c", checked], { encoding: "utf8" });
        assert.equal(status, "200", command);
        const body = execFileSync("bash", ["-c", command], { encoding: "utf8" });
        assert.ok(!/"count":\s*"?0"?[,}]|"total":0|"data":\[\]/.test(body), `no demo data behind: ${command}\n${body}`);
      }

      // Every status filter of every dialect finds demo traffic (values from the contract's enums).
      const ownerKey = /ApiKey: ([^']+)'/.exec(commands[0]!)![1]!;
      const base = `http://127.0.0.1:${port}`;
      const post = async (path: string, headers: Record<string, string>, body: object) =>
        (await callJson(base, "POST", path, headers, body)).body as { count: number | string };
      const enumOf = (dialect: "internal" | "exolve", schema: string) =>
        (loadOpenApiDocument(dialect).components!.schemas![schema] as { enum: string[] }).enum.filter((name) => !name.endsWith("_UNSPECIFIED"));
      const empty: string[] = [];
      for (const status of enumOf("internal", "SmsStatus")) {
        const { count } = await post("/api/sms-log/count", { ApiKey: ownerKey }, { query: { status } });
        if (Number(count) === 0) empty.push(`Status200 status ${status}`);
      }
      for (const [field, schema] of [["status", "Status"], ["delivery_status", "DeliveryStatus"], ["billing_status", "BillingStatus"], ["direction", "Direction"]] as const) {
        for (const value of enumOf("exolve", schema)) {
          const { count } = await post("/messaging/v1/GetCount", { Authorization: `Bearer ${ownerKey}` }, { [field]: value });
          if (Number(count) === 0) empty.push(`Exolve ${field} ${value}`);
        }
      }
      assert.deepEqual(empty, [], "filters the demo leaves empty");
    } finally {
      server.kill("SIGTERM");
    }
  });
});
