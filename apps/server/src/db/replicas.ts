// Read replicas (DATABASE_REPLICA_URLS): where the read-only operations of the public dialects run.
//
// The handlers ask for `reads(query)`: the query runs on a healthy replica, or on the primary when
// there is none. Everything else (writes, the internal API, API-key lookups, health probes) keeps
// using the primary DataSource directly. Which replicas are healthy is decided by a background
// check, never on a request's path, so a request never waits for a dead replica to time out:
//
// - every `intervalMs` the primary's flushed WAL position is sampled, with the time it was read;
// - each replica reports how far it has replayed (pg_last_wal_replay_lsn());
// - a replica's lag is the age of the newest primary sample it has replayed past: it holds every
//   commit acknowledged before that moment. An idle primary writes no WAL, so a caught-up replica
//   of an idle primary has lag ~0 (pg_last_xact_replay_timestamp() alone would call it lagging);
// - a replica that does not answer, is no standby, or lags more than `maxLagMs` is skipped.
//
// A replica that fails a read with a connection error between two checks is marked down at once
// and that read runs again on the primary (reads are idempotent), so clients see no error.
import type { DataSource } from "typeorm";
import { isDatabaseUnavailable } from "../http/errors.js";

/** Runs a read-only query on a replica within the lag bound, else on the primary. */
export type Reads = <T>(query: (dataSource: DataSource) => Promise<T>) => Promise<T>;

/** Reads on the primary only: what the server does without replicas. */
export const primaryReads = (primary: DataSource): Reads => (query) => query(primary);

export interface ReplicaState {
  url: string;
  /** Serving reads now. */
  healthy: boolean;
  /** Why not, when not healthy. */
  reason?: string;
  /** The lag measured at the last check, in milliseconds (undefined until one succeeded). */
  lagMs?: number;
  /** Reads this replica served. */
  served: number;
}

export interface ReplicaSet {
  reads: Reads;
  /** Runs one check at once (bounded by the check timeout), then every `intervalMs` on an unref'd timer. */
  start(): Promise<void>;
  /** Stops the checks and closes the replicas' connections (the primary stays the caller's). */
  stop(): Promise<void>;
  /** Runs one check now (tests use it to avoid sleeping). */
  check(): Promise<void>;
  states(): ReplicaState[];
  /** Reads the primary served (no healthy replica, or a replica failed mid-read). */
  servedByPrimary(): number;
}

export interface ReplicaOptions {
  /** A lag above this skips the replica (COMMLOG_REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** Time between checks (COMMLOG_REPLICA_CHECK_MS). */
  intervalMs: number;
  /** Makes the (uninitialized) DataSource of a replica URL. */
  connect: (url: string) => DataSource;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface Replica {
  url: string;
  dataSource: DataSource;
  /** A connection attempt still under way (it may outlive the check that started it). */
  initializing?: Promise<unknown>;
  healthy: boolean;
  reason?: string;
  lagMs?: number;
  served: number;
}

/** An LSN as a number of bytes; PostgreSQL renders pg_wal_lsn_diff as numeric text. */
const LSN_BYTES = (expression: string) => `pg_wal_lsn_diff(${expression}, '0/0')::text`;

export function createReplicaSet(primary: DataSource, urls: string[], options: ReplicaOptions): ReplicaSet {
  const replicas: Replica[] = urls.map((url) => ({ url, dataSource: options.connect(url), healthy: false, reason: "not checked yet", served: 0 }));
  // Samples of the primary's flushed WAL position, oldest first.
  let samples: Array<{ at: number; lsn: bigint }> = [];
  let servedByPrimary = 0;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  // A check that does not answer within this counts as down.
  const checkTimeoutMs = Math.max(options.intervalMs, 1000);

  const setState = (replica: Replica, healthy: boolean, reason?: string, lagMs?: number) => {
    if (replica.healthy !== healthy) {
      const fields = { replica: redact(replica.url), ...(reason ? { reason } : {}), ...(lagMs !== undefined ? { lagMs } : {}) };
      if (healthy) options.logger?.info(fields, "read replica in use");
      else options.logger?.warn(fields, "read replica skipped; its reads go to the primary");
    }
    replica.healthy = healthy;
    replica.reason = healthy ? undefined : reason;
    if (lagMs !== undefined) replica.lagMs = lagMs;
  };

  const samplePrimary = async () => {
    const at = Date.now();
    const [row] = (await withTimeout(primary.query(`SELECT ${LSN_BYTES("pg_current_wal_flush_lsn()")} AS lsn`), checkTimeoutMs)) as Array<{ lsn: string }>;
    samples.push({ at, lsn: BigInt(row!.lsn) });
    // Keep what a lag bound can still be measured against, and always the newest sample.
    const horizon = Date.now() - Math.max(options.maxLagMs * 3, 10 * options.intervalMs);
    samples = samples.filter((sample, i) => sample.at >= horizon || i === samples.length - 1);
  };

  const checkReplica = async (replica: Replica) => {
    try {
      if (!replica.dataSource.isInitialized) {
        replica.initializing ??= replica.dataSource.initialize().finally(() => (replica.initializing = undefined));
        await withTimeout(replica.initializing, checkTimeoutMs);
      }
      const [row] = (await withTimeout(
        replica.dataSource.query(`SELECT pg_is_in_recovery() AS standby, ${LSN_BYTES("pg_last_wal_replay_lsn()")} AS replayed`),
        checkTimeoutMs,
      )) as Array<{ standby: boolean; replayed: string | null }>;
      // A promoted (or mistaken) primary is not a copy of ours: reading it could show a diverged ledger.
      if (!row?.standby || row.replayed === null) return setState(replica, false, "not a standby (pg_is_in_recovery() is false)");
      const replayed = BigInt(row.replayed);
      const caughtUpTo = samples.filter((sample) => sample.lsn <= replayed).at(-1);
      // Behind every sample still kept: at least as old as the oldest one.
      const lagMs = Date.now() - (caughtUpTo ?? samples[0] ?? { at: Date.now() - Infinity }).at;
      if (lagMs > options.maxLagMs) return setState(replica, false, `lagging ${Number.isFinite(lagMs) ? `${lagMs} ms` : "unmeasurably"} (bound ${options.maxLagMs} ms)`, lagMs);
      setState(replica, true, undefined, lagMs);
    } catch (error) {
      setState(replica, false, `unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const checkOnce = async () => {
    // Without a fresh sample of the primary (it is down), the kept samples age and the replicas'
    // lag with them: they stay in use only while that is within the bound.
    await samplePrimary().catch(() => undefined);
    await Promise.all(replicas.map(checkReplica));
  };

  const check = () => {
    // Checks never overlap: a slow round is not joined by another.
    running ??= checkOnce().finally(() => (running = undefined));
    return running;
  };

  const reads: Reads = async (query) => {
    const healthy = replicas.filter((replica) => replica.healthy);
    if (healthy.length === 0) {
      servedByPrimary++;
      return query(primary);
    }
    const replica = healthy[next++ % healthy.length]!;
    try {
      const result = await query(replica.dataSource);
      replica.served++;
      return result;
    } catch (error) {
      if (!isDatabaseUnavailable(error) && !isRecoveryConflict(error)) throw error;
      // Down since the last check (or a query cancelled by replay): the primary answers instead.
      if (isDatabaseUnavailable(error)) setState(replica, false, `failed a read: ${error instanceof Error ? error.message : String(error)}`);
      servedByPrimary++;
      return query(primary);
    }
  };

  return {
    reads,
    check,
    async start() {
      await check();
      if (stopped || replicas.length === 0) return;
      timer = setInterval(() => void check(), options.intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      await Promise.all(replicas.map((replica) => replica.initializing?.catch(() => undefined)));
      await Promise.all(replicas.map((replica) => (replica.dataSource.isInitialized ? replica.dataSource.destroy().catch(() => undefined) : undefined)));
    },
    states: () => replicas.map(({ url, healthy, reason, lagMs, served }) => ({ url: redact(url), healthy, ...(reason ? { reason } : {}), ...(lagMs !== undefined ? { lagMs } : {}), served })),
    servedByPrimary: () => servedByPrimary,
  };
}

/** "canceling statement due to conflict with recovery" (40001 on a standby): the primary can answer it. */
function isRecoveryConflict(error: unknown): boolean {
  return typeof error === "object" && error !== null && /conflict with recovery/i.test((error as { message?: string }).message ?? "");
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timeout: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timeout = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timeout.unref();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timeout));
}

/** A URL without its password, for logs and states. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
