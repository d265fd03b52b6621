// The benchmark's baseline: a bare node:http server that answers each benchmarked route by running
// exactly the SQL commlog ran for it (recorded by run.ts through TypeORM's logger) through the
// same driver (pg or better-sqlite3), and returning the last result as JSON. No framework, no
// validation, no domain logic: what is left when only the database work remains.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";

interface Recorded {
  engine: "sqlite" | "postgres";
  databaseUrl?: string;
  sqlitePath?: string;
  routes: Record<string, Array<{ sql: string; parameters: unknown[] }>>;
}

const recorded = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Recorded;
const port = Number(process.argv[3] ?? 0);

type Run = (sql: string, parameters: unknown[]) => Promise<unknown>;
let run: Run;
if (recorded.engine === "postgres") {
  const pool = new pg.Pool({ connectionString: recorded.databaseUrl, max: 10 });
  run = async (sql, parameters) => (await pool.query(sql, parameters)).rows;
} else {
  const db = new Database(recorded.sqlitePath!);
  db.pragma("journal_mode = WAL");
  const statements = new Map<string, Database.Statement>();
  run = async (sql, parameters) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement.reader ? statement.all(...parameters) : statement.run(...parameters);
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const queries = recorded.routes[`${req.method} ${req.url}`];
    if (!queries) {
      res.writeHead(404).end();
      return;
    }
    try {
      let result: unknown;
      for (const query of queries) result = await run(query.sql, query.parameters);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`baseline listening on ${typeof address === "object" && address ? address.port : port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
