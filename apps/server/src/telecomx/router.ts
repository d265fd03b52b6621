import { Router } from "express";
import type { DataSource } from "typeorm";

/** The telecomx dialect (to be filled in). */
export function telecomxRouter(_deps: { dataSource: DataSource }): Router {
  return Router({ caseSensitive: true, strict: true });
}
