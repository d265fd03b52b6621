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
import type { Status200 } from "@commlog/contracts";
import type { Response } from "express";
import type { DataSource } from "typeorm";
import type { Reads } from "../db/replicas.js";
import { principalOf } from "../http/access.js";
import { HttpError, notFound } from "../http/errors.js";
import { operationsRouter, type OperationsRouter } from "../http/operations.js";
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

/** The key's project: every query is ANDed with it. */
function tenantOf(res: Response): string {
  const principal = principalOf(res);
  // authorize() lets only project keys hold Status200 permissions; anything else is a server bug.
  if (principal.kind !== "project") throw new HttpError(403, "forbidden", "this API key is not scoped to a project");
  return principal.projectId;
}

/** Path ids are uuids (schema-checked) of any case; the ledger stores them lowercased. */
const lowercaseId = (path: { id: string }) => path.id.toLowerCase();

/** What the read operations of every resource take; the domain's parsers check each part again. */
interface ReadRequest {
  body: { select?: unknown; query?: unknown; sort?: unknown; groupBy?: unknown; skip?: unknown; limit?: unknown };
  query: { skip?: number; limit?: number };
  path: { id: string };
  res: Response;
}

/**
 * list, get-item and count for one resource (`T` its object type); they run on a read replica when
 * one is healthy. The objects carry `_id` and the selected fields only; which ones the selection
 * decides at run time, so `T` is asserted here and the response validator checks the real shape.
 */
function readHandlers<T>(reads: Reads, resource: ResourceDef, table: Table) {
  const list = async ({ body, query, res }: Omit<ReadRequest, "path">) => {
    parseGroupBy(body.groupBy);
    const selected = parseSelect(resource, body.select);
    const conditions = parseQuery(resource, body.query);
    const sort = parseSort(resource, body.sort);
    const page = parsePagination(query, body);
    const { rows, count } = await reads((db) => findPage(db, table, tenantOf(res), { conditions, columns: columnsOf(selected), sort, page }));
    return { count, limit: page.limit, skip: page.skip, data: rows.map((row) => presentSelected(row, selected) as T) };
  };

  const getItem = async ({ body, path, res }: Omit<ReadRequest, "query">) => {
    const selected = parseSelect(resource, body.select);
    const row = await reads((db) => findById(db, table, tenantOf(res), lowercaseId(path), columnsOf(selected)));
    if (!row) throw notFound(`id: no ${resource.label} with this id in this project`);
    return presentSelected(row, selected) as T;
  };

  const count = async ({ body, res }: Pick<ReadRequest, "body" | "res">) => ({
    count: await reads((db) => countRows(db, table, tenantOf(res), parseQuery(resource, body.query))),
  });

  return { list, getItem, count };
}

/** The Status200 dialect. Reads go through `reads` (a replica or the primary); the item writes use the primary `dataSource`. */
export function status200Router({ dataSource, reads }: { dataSource: DataSource; reads: Reads }): OperationsRouter<"status200"> {
  // GET twins honour a JSON body exactly like POST (seeds 000, 001).
  const smsLog = readHandlers<Status200.SmsLog>(reads, SMS_LOG, smsLogTable);
  const callLog = readHandlers<Status200.IncomingCallLog>(reads, INCOMING_CALL_LOG, incomingCallLogTable);
  const items = readHandlers<Status200.IncomingCallLogItem>(reads, INCOMING_CALL_LOG_ITEM, incomingCallLogItemTable);

  const update = async ({ body, path, res }: { body: { data?: unknown }; path: { id: string }; res: Response }) => {
    const changes = parseUpdateData(body.data);
    if (!(await updateItem(dataSource, tenantOf(res), lowercaseId(path), changes))) throw notFound(`id: no ${INCOMING_CALL_LOG_ITEM.label} with this id in this project`);
    return {};
  };
  const remove = async ({ path, res }: { path: { id: string }; res: Response }) => {
    if (!(await deleteItem(dataSource, tenantOf(res), lowercaseId(path)))) throw notFound(`id: no ${INCOMING_CALL_LOG_ITEM.label} with this id in this project`);
    return {};
  };

  return operationsRouter("status200", {
    SmsLogs_list: smsLog.list,
    SmsLogs_listByGet: smsLog.list,
    SmsLogs_getItem: smsLog.getItem,
    SmsLogs_getItemByGet: smsLog.getItem,
    SmsLogs_count: smsLog.count,
    IncomingCallLogs_list: callLog.list,
    IncomingCallLogs_listByGet: callLog.list,
    IncomingCallLogs_getItem: callLog.getItem,
    IncomingCallLogs_getItemByGet: callLog.getItem,
    IncomingCallLogs_count: callLog.count,
    IncomingCallLogItems_list: items.list,
    IncomingCallLogItems_listByGet: items.list,
    IncomingCallLogItems_getItem: items.getItem,
    IncomingCallLogItems_getItemByGet: items.getItem,
    IncomingCallLogItems_count: items.count,
    IncomingCallLogItems_create: async ({ body, res }) => {
      const projectId = tenantOf(res);
      const { projectId: claimed, ...values } = parseCreateData(body.data);
      if (claimed !== undefined && claimed !== projectId) throw invalid("data.projectId", "must be the API key's own project");
      return presentAll(await insertItem(dataSource, projectId, values), INCOMING_CALL_LOG_ITEM) as Status200.IncomingCallLogItem;
    },
    IncomingCallLogItems_update: update,
    IncomingCallLogItems_updateItem: update,
    IncomingCallLogItems_updateItemByGet: update,
    IncomingCallLogItems_delete: remove,
    IncomingCallLogItems_deleteItem: remove,
    IncomingCallLogItems_deleteItemByGet: remove,
  });
}
