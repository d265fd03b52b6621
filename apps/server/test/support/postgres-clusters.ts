import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// PostgreSQL clusters of a test's own, made with Debian's binaries run as the postgres user: for
// tests that restart, stop or replicate a server, which the shared local one must never be.

const BIN = "/usr/lib/postgresql/15/bin";

/** Why such clusters cannot be made here, or undefined when they can (in CI they always must). */
export const clustersUnavailable =
  (process.getuid?.() === 0 && existsSync(`${BIN}/initdb`) && existsSync(`${BIN}/pg_basebackup`)) || process.env.CI === "true"
    ? undefined
    : "needs root (runuser -u postgres) and Debian's PostgreSQL 15 binaries (initdb, pg_ctl, pg_basebackup)";

export const asPostgres = (command: string, args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", `${BIN}/${command}`, ...args], { stdio: "pipe" });

/** A temp folder the postgres user owns; each cluster lives in `<folder>/<name>`, its log in `<folder>/<name>.log`. */
export function clusterFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  chownSync(folder, Number(execFileSync("id", ["-u", "postgres"]).toString()), Number(execFileSync("id", ["-g", "postgres"]).toString()));
  return folder;
}

export const pgCtl = (folder: string, name: string, ...args: string[]) =>
  asPostgres("pg_ctl", ["-D", path.join(folder, name), "-w", "-l", path.join(folder, `${name}.log`), ...args]);

export const initCluster = (folder: string, name: string) => asPostgres("initdb", ["-D", path.join(folder, name), "-A", "trust", "-U", "postgres", "--no-sync"]);

/** Server options: its own port and socket folder, loopback only, no fsync (test data). */
export const clusterOptions = (folder: string, port: number) => `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;

/** Stops the named clusters (those already stopped are fine) and removes the folder. */
export function removeClusters(folder: string, names: string[]): void {
  try {
    for (const name of names) {
      try {
        pgCtl(folder, name, "-m", "immediate", "stop");
      } catch {
        // (already stopped)
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
