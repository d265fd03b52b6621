// Both published packages as another team gets them: packed, published to a real npm registry
// (verdaccio on 127.0.0.1, storage in a temp folder), installed from it into a scratch project
// outside the monorepo, type-checked in strict mode and run against a real server.
import assert from "node:assert/strict";
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const packages = { contracts: join(root, "packages/contracts"), conformance: join(root, "packages/conformance") };
const tsc = require.resolve("typescript/bin/tsc");
const verdaccioBin = join(require.resolve("verdaccio/package.json"), "../bin/verdaccio");
const work = mkdtempSync(join(tmpdir(), "commlog-registry-"));
const scratch = join(work, "consumer");
const adminToken = "registry-test-admin-token-0123456789abcdef";
const children: ChildProcess[] = [];

/** A free port on 127.0.0.1 (verdaccio cannot be told to pick one itself). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns a long-lived child and resolves with the first match of `ready` in its stdout. */
function start(args: string[], options: { cwd: string; env?: Record<string, string> }, ready: RegExp): Promise<RegExpExecArray> {
  const child = spawn(process.execPath, args, { ...options, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(match);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited (${code}) before it was ready:\n${output}`)));
  });
}

const npm = (args: string[], cwd: string) => run("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_userconfig: join(work, ".npmrc") } });

let registry = "";
let server = "";
const tarballs: Record<string, string[]> = {};
const integrity: Record<string, string> = {};

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  // Only the @commlog scope lives here; everything else resolves from npm's cache of the monorepo's
  // own install (--prefer-offline), so the test needs no network beyond 127.0.0.1.
  writeFileSync(
    join(work, "config.yaml"),
    [
      `storage: ${join(work, "storage")}`,
      `auth: { htpasswd: { file: ${join(work, "htpasswd")} } }`,
      "uplinks: {}",
      "packages:",
      "  '@commlog/*': { access: $all, publish: $authenticated }",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  await start([verdaccioBin, "--config", join(work, "config.yaml"), "--listen", `127.0.0.1:${port}`], { cwd: work }, /http address/);
  // A publisher account, created the way `npm adduser` does it.
  const response = await fetch(`${registry}-/user/org.couchdb.user:publisher`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "publisher", password: "publisher-password" }),
  });
  const { token } = (await response.json()) as { token: string };
  assert.ok(token, `verdaccio gave no token (${response.status})`);
  writeFileSync(join(work, ".npmrc"), `@commlog:registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);

  const dataDir = join(work, "server-data");
  mkdirSync(dataDir);
  const [, url] = await start(
    [join(root, "apps/server/dist/main.js")],
    { cwd: join(root, "apps/server"), env: { PORT: "0", LOG_LEVEL: "warn", COMMLOG_DATA_DIR: dataDir, COMMLOG_ADMIN_TOKEN: adminToken, DATABASE_URL: "" } },
    /serving every dialect at (http:\/\/\S+)/,
  );
  server = url!;
});

afterAll(() => {
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
});

describe("the published packages, installed from a registry", () => {
  it.each(Object.entries(packages))("%s packs exactly what a consumer needs and publishes", async (name, dir) => {
    const { stdout } = await npm(["pack", "--json", "--pack-destination", work], dir);
    const [packed] = JSON.parse(stdout) as [{ filename: string; integrity: string; files: { path: string }[] }];
    integrity[name] = packed.integrity;
    const files = packed.files.map((f) => f.path);
    tarballs[name] = files;
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md", "dist/index.js", "dist/index.d.ts"]));
    // No sources, tests, maps or build configs: only what runs or type-checks.
    expect(files.filter((f) => /\.map$|^test\/|^src\/.*\.[cm]?ts$|^tsconfig|jest\.config|^scripts\//.test(f))).toEqual([]);
    await npm(["publish", join(work, packed.filename), "--registry", registry], work);
    const { stdout: tarball } = await npm(["view", `@commlog/${name}`, "dist.tarball", "--registry", registry], work);
    expect(tarball.trim()).toMatch(new RegExp(`^${registry}@commlog/${name}/-/${name}-\\d+\\.\\d+\\.\\d+\\.tgz$`));
  });

  it("ships the OpenAPI documents and the seed examples in the contracts tarball", () => {
    expect(tarballs.contracts).toEqual(
      expect.arrayContaining(["dist/documents.js", "fixtures/seed-examples.json", ...["status200", "telecomx", "exolve", "internal"].map((d) => `src/generated/${d}/openapi.json`)]),
    );
  });

  it("installs into a scratch project, type-checks strictly and runs the client against the server", async () => {
    mkdirSync(scratch);
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(join(scratch, ".npmrc"), `@commlog:registry=${registry}\n`);
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "@commlog/contracts@1", "@commlog/conformance@1"], { cwd: scratch });
    const lock = JSON.parse(readFileSync(join(scratch, "package-lock.json"), "utf8")) as { packages: Record<string, { integrity?: string }> };
    // npm records no `resolved` URL for a scoped registry's package; its integrity is the packed tarball's.
    for (const name of ["contracts", "conformance"]) expect(lock.packages[`node_modules/@commlog/${name}`]?.integrity).toBe(integrity[name]);
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, outDir: "out", lib: ["ES2023", "DOM"], types: [] }, files: ["consumer.ts"] }),
    );
    writeFileSync(join(scratch, "consumer.ts"), consumerSource);
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: scratch });

    const { stdout } = await run(process.execPath, ["out/consumer.js", server, adminToken], { cwd: scratch, encoding: "utf8" });
    expect(JSON.parse(stdout)).toEqual({ listed: ["+4581808888"], count: 1, dialects: "status200,telecomx,exolve,internal", openapi: "3.1.0" });
  });

  it("bundles the root entry for a browser (no Node built-ins)", async () => {
    const esbuild = (await import(require.resolve("esbuild"))) as typeof import("esbuild");
    const result = await esbuild.build({
      stdin: { contents: `export * from "@commlog/contracts";`, resolveDir: scratch },
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    // The documents subpath is Node's: the same bundle of it fails on node:fs.
    await expect(
      esbuild.build({ stdin: { contents: `export * from "@commlog/contracts/documents";`, resolveDir: scratch }, bundle: true, platform: "browser", write: false, logLevel: "silent" }),
    ).rejects.toThrow(/node:fs/);
  });

  it("runs the installed conformance CLI against the server", async () => {
    const { stdout } = await run(
      join(scratch, "node_modules/.bin/commlog-conformance"),
      ["--base-url", server, "--admin-token", adminToken, "--fuzz-cases", "100", "--quiet"],
      { cwd: scratch, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`commlog-conformance failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
    });
    expect(stdout).toMatch(/passed/);
  });
});

// The consumer: what another team writes. Strict tsc must accept it, every expect-error
// directive included (an unused one is itself an error); then it runs against the server.
const consumerSource = `import type { SmsLog, Status200, TelecomX, AccessRule } from "@commlog/contracts";
import { createInternalClient, createStatus200Client, dialects, permissionTable } from "@commlog/contracts";
import { loadOpenApiDocument } from "@commlog/contracts/documents";
// @ts-expect-error the root entry is browser-safe: the documents are under ./documents
import type { loadOpenApiDocument as fromRoot } from "@commlog/contracts";

declare const process: { argv: string[] }; // no @types/node: the client needs none
const [baseUrl = "", adminToken = ""] = process.argv.slice(2);
export const rule: AccessRule = permissionTable.status200.SmsLogs_list.access;
export type Message = TelecomX.Message;
export type FromRoot = typeof fromRoot;

const internal = createInternalClient({ baseUrl, adminToken });
const project = await internal.POST("/internal/v1/projects", { body: { name: "registry consumer" } });
const projectId = project.data!._id;
const key = await internal.POST("/internal/v1/api-keys", { body: { name: "reader", projectId, permissions: ["ReadSmsLog"], accessLevel: "VIEWER" } });
await internal.POST("/internal/v1/sms", { body: { messages: [{ projectId, toNumber: "+4581808888", status: "Delivered" }] } });

const client = createStatus200Client({ baseUrl, apiKey: key.data!.key });
const query: Status200.SmsLogQuery = { status: "Delivered" };
const list = await client.POST("/api/sms-log/get-list", { body: { query, select: { toNumber: true } } });
const rows: SmsLog[] = list.data?.data ?? [];
const counted = await client.POST("/api/sms-log/count", { body: { query } });

export async function mistakes() {
  // @ts-expect-error a misspelled select field of an inline call
  await client.POST("/api/sms-log/get-list", { body: { select: { toNumbr: true } } });
  // @ts-expect-error no GET with a body
  await client.GET("/api/sms-log/get-list", { body: { query } });
}

console.log(JSON.stringify({
  listed: rows.map((row) => row.toNumber),
  count: counted.data?.count,
  dialects: dialects.join(","),
  openapi: loadOpenApiDocument("exolve").openapi,
}));
`;
