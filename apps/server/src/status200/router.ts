import {
  INCOMING_CALL_LOG,
  INCOMING_CALL_LOG_ITEM,
  invalid,
  parseCreateData,
  parseGroupBy,
  parsePagination,
  parseQuery,
  parseSelect,
  parseSort,
  parseUpdateData,
  SMS_LOG,
  type ResourceDef,
} from "@commlog/domain";
import { Router, type Request, type RequestHandler, type Response } from "express";
import type { DataSource } from "typeorm";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { HttpError, notFound } from "../http/errors.js";
import { columnsOf, presentAll, presentSelected } from "./presenter.js";
import {
  countRows,
  deleteItem,
  findById,
  findPage,
  incomingCallLogItemTable,
  incomingCallLogTable,
  insertItem,
  smsLogTable,
  updateItem,
  type Table,
} from "./repository.js";

// Requests arrive here authenticated, authorized and schema-valid (http/validation.ts): the
// handlers parse the query language with the domain, ask the repository (which always ANDs the
// key's project) and present only what was asked for. Writes to SMS Log and Incoming Call Log
// never get here: the permission table answers them 405.

/** The body fields a read may carry; each is validated again by the domain's parsers. */
interface ReadBody {
  select?: unknown;
  query?: unknown;
  sort?: unknown;
  groupBy?: unknown;
  skip?: unknown;
  limit?: unknown;
}

interface WriteBody {
  data?: unknown;
}

/** The key's project: every query is ANDed with it. */
function tenantOf(res: Response): string {
  const principal = principalOf(res);
  // authorize() lets only project keys hold Status200 permissions; anything else is a server bug.
  if (principal.kind !== "project") throw new HttpError(403, "forbidden", "this API key is not scoped to a project");
  return principal.projectId;
}

/** Path ids are uuids (schema-checked) of any case; the ledger stores them lowercased. */
const idOf = (req: Request) => String(req.params["id"]).toLowerCase();

/** list, get-item and count for one resource; they run on a read replica when one is healthy. */
function readHandlers(reads: Reads, resource: ResourceDef, table: Table) {
  const list: RequestHandler = async (req, res) => {
    const body = req.body as ReadBody;
    parseGroupBy(body.groupBy);
    const selected = parseSelect(resource, body.select);
    const conditions = parseQuery(resource, body.query);
    const sort = parseSort(resource, body.sort);
    const page = parsePagination(req.query as ReadBody, body);
    const { rows, count } = await reads((db) => findPage(db, table, tenantOf(res), { conditions, columns: columnsOf(selected), sort, page }));
    res.json({ count, limit: page.limit, skip: page.skip, data: rows.map((row) => presentSelected(row, selected)) });
  };

  const getItem: RequestHandler = async (req, res) => {
    const selected = parseSelect(resource, (req.body as ReadBody).select);
    const row = await reads((db) => findById(db, table, tenantOf(res), idOf(req), columnsOf(selected)));
    if (!row) throw notFound(`no such ${resource.name}`);
    res.json(presentSelected(row, selected));
  };

  const count: RequestHandler = async (req, res) => {
    const conditions = parseQuery(resource, (req.body as ReadBody).query);
    res.json({ count: await reads((db) => countRows(db, table, tenantOf(res), conditions)) });
  };

  return { list, getItem, count };
}

/** Reads go through `reads` (a replica or the primary); the item writes use the primary `dataSource`. */
export function status200Router({ dataSource, reads }: { dataSource: DataSource; reads: Reads }): Router {
  const router = Router({ caseSensitive: true, strict: true });

  const readable = [
    { path: "/api/sms-log", resource: SMS_LOG, table: smsLogTable },
    { path: "/api/incoming-call-log", resource: INCOMING_CALL_LOG, table: incomingCallLogTable },
    { path: "/api/incoming-call-log-item", resource: INCOMING_CALL_LOG_ITEM, table: incomingCallLogItemTable },
  ];
  for (const { path, resource, table } of readable) {
    const { list, getItem, count } = readHandlers(reads, resource, table);
    // GET twins honour a JSON body exactly like POST (seeds 000, 001).
    router.post(`${path}/get-list`, list);
    router.get(`${path}/get-list`, list);
    router.post(`${path}/:id/get-item`, getItem);
    router.get(`${path}/:id/get-item`, getItem);
    router.post(`${path}/count`, count);
  }

  const items = "/api/incoming-call-log-item";

  router.post(items, async (req, res) => {
    const projectId = tenantOf(res);
    const { projectId: claimed, ...values } = parseCreateData((req.body as WriteBody).data);
    if (claimed !== undefined && claimed !== projectId) throw invalid("data.projectId", "must be the API key's own project");
    const row = await insertItem(dataSource, projectId, values);
    res.json(presentAll(row, INCOMING_CALL_LOG_ITEM));
  });

  const update: RequestHandler = async (req, res) => {
    const changes = parseUpdateData((req.body as WriteBody).data);
    if (!(await updateItem(dataSource, tenantOf(res), idOf(req), changes))) throw notFound("no such IncomingCallLogItem");
    res.json({});
  };
  router.put(`${items}/:id`, update);
  router.post(`${items}/:id/update-item`, update);
  router.get(`${items}/:id/update-item`, update);

  const remove: RequestHandler = async (req, res) => {
    if (!(await deleteItem(dataSource, tenantOf(res), idOf(req)))) throw notFound("no such IncomingCallLogItem");
    res.json({});
  };
  router.delete(`${items}/:id`, remove);
  router.post(`${items}/:id/delete-item`, remove);
  router.get(`${items}/:id/delete-item`, remove);

  return router;
}
