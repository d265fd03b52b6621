// Servers for tests that need a real port: the in-process app behind the real HTTP server, or the
// real server process (src/main.ts through tsx), which tests can signal and kill.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Express } from "express";
import { createHttpServer } from "../../src/http/server.js";

/** The app on a free port of 127.0.0.1; `base` is its URL. */
export async function listen(app: Express): Promise<{ base: string; close(): Promise<void> }> {
  const server = createHttpServer(app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port free on 127.0.0.1 right now (for processes that must be told their port). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const serverDir = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the real server process on a free port with `env` added; resolves once it listens, with what it printed by then. */
export async function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; printed: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving every dialect at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", () => reject(new Error(`server exited before listening: ${output}`)));
  });
  return { child, url, printed: output, exited };
}

/** A JSON request to `base`: the status and the parsed body. */
export async function callJson(base: string, method: string, path: string, headers: Record<string, string>, body?: object): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, { method, headers: { "Content-Type": "application/json", ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: await response.json() };
}
