import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const serverMain = path.join(repo, "apps/server/dist/main.js");
export const adminToken = "conformance-test-admin-token-0123456789";

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts the real, built server (apps/server/dist) on a free port: SQLite in a temp folder, or the
 * given PostgreSQL database; with the test admin token unless `adminToken: null` (then, on
 * PostgreSQL, the internal API is off).
 */
export async function startServer(options: { databaseUrl?: string; adminToken?: string | null } = {}): Promise<RunningServer> {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing: run \`npx turbo run build --filter=@commlog/server...\` first`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "commlog-conformance-"));
  const child: ChildProcess = spawn(process.execPath, [serverMain], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", COMMLOG_DATA_DIR: dataDir, COMMLOG_ADMIN_TOKEN: options.adminToken === null ? "" : (options.adminToken ?? adminToken), DATABASE_URL: options.databaseUrl ?? "", LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /commlog is serving every dialect at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
