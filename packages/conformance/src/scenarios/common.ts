import { randomUUID } from "node:crypto";
import type { HttpRequest, HttpResponse } from "../http.js";

/** Header sets of each dialect. */
export const apiKey = (key: string) => ({ ApiKey: key });
export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** A uuid that names nothing. */
export const nowhere = () => randomUUID();

export function req(method: string, path: string, headers: Record<string, string | string[]>, body?: unknown, query?: HttpRequest["query"]): HttpRequest {
  return { method, path, headers, ...(body !== undefined ? { body } : {}), ...(query ? { query } : {}) };
}

/** For flows: asserts a status and returns the JSON body. */
export function expectStatus(res: HttpResponse, status: number, what: string, problems: string[]): any {
  if (res.status !== status) problems.push(`${what}: expected status ${status}, got ${res.status}: ${res.text.slice(0, 160)}`);
  return res.json as any;
}

/** Pagination invariants over pages of a list: no duplicates, no gaps, same order as one big page, stable total. */
export function pagesInvariant(pages: unknown[][], whole: unknown[], totals: number[], total: number): string[] {
  const problems: string[] = [];
  const flat = pages.flat();
  if (new Set(flat).size !== flat.length) problems.push(`pages overlap: ${flat.length - new Set(flat).size} duplicate(s)`);
  if (JSON.stringify(flat) !== JSON.stringify(whole)) problems.push(`pages joined (${flat.length}) differ from the whole list (${whole.length}) in content or order`);
  if (totals.some((t) => t !== total)) problems.push(`total changes across pages: ${JSON.stringify(totals)} (expected ${total})`);
  if (whole.length !== total) problems.push(`the whole list holds ${whole.length} objects but the total says ${total}`);
  return problems;
}
