import { Router } from "express";
import type { DataSource } from "typeorm";

/** The status200 dialect (to be filled in). */
export function status200Router(_deps: { dataSource: DataSource }): Router {
  return Router({ caseSensitive: true, strict: true });
}
