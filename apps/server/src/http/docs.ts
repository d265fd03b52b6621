import { createRequire } from "node:module";
import { dialects, loadOpenApiDocument, type Dialect } from "@commlog/contracts/documents";
import express, { Router } from "express";

const titles: Record<Dialect, string> = {
  status200: "Status200 (OneUptime-style CRUD)",
  telecomx: "TelecomX GET /sms",
  exolve: "Exolve GetCount",
  internal: "Internal (tenants, keys, ingest)",
};

/** swagger-ui-dist: the maintained renderer, served from the package itself (no CDN). */
// absolute-path.js only: the package root also evaluates the 1 MB browser bundle, a tenth of the start-up.
const swaggerUiFolder: string = createRequire(import.meta.url)("swagger-ui-dist/absolute-path.js")();

const page = (title: string, body: string, head = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">${head}</head>
<body>${body}</body></html>`;

function referencePage(dialect: Dialect): string {
  return page(
    `commlog — ${titles[dialect]}`,
    `<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>
  window.ui = SwaggerUIBundle({ url: "/openapi/${dialect}.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });
</script>`,
    `<link rel="stylesheet" href="/docs/assets/swagger-ui.css">`,
  );
}

function landingPage(): string {
  const links = dialects
    .map((d) => `<li><a href="/docs/${d}">${titles[d]}</a> — <a href="/openapi/${d}.json">OpenAPI document</a></li>`)
    .join("\n");
  return page(
    "commlog",
    `<h1>commlog</h1><p>One SMS and call ledger per tenant, four API dialects. API reference:</p>
<ul>${links}</ul><p>Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></p>`,
  );
}

/** The API reference of every dialect, rendered in the browser from the emitted OpenAPI documents; linked from `/`. */
export function docsRouter(): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const documents = Object.fromEntries(dialects.map((d) => [d, loadOpenApiDocument(d)])) as Record<Dialect, object>;
  router.get("/", (_req, res) => {
    res.type("html").send(landingPage());
  });
  router.use("/docs/assets", express.static(swaggerUiFolder, { index: false, maxAge: "1h" }));
  for (const dialect of dialects) {
    router.get(`/docs/${dialect}`, (_req, res) => {
      res.type("html").send(referencePage(dialect));
    });
    router.get(`/openapi/${dialect}.json`, (_req, res) => {
      res.json(documents[dialect]);
    });
  }
  return router;
}
