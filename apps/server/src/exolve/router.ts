import { Router } from "express";
import type { DataSource } from "typeorm";

/** The exolve dialect (to be filled in). */
export function exolveRouter(_deps: { dataSource: DataSource }): Router {
  return Router({ caseSensitive: true, strict: true });
}
