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

/**
 * A swagger-ui plugin (browser JavaScript, kept as text so that no transpiler rewrites it): type
 * labels that name the schemas a union is made of. swagger-ui labels a `$ref` it has not resolved
 * yet "any", so the Status200 query language read `(any | array<any> | any …)`; with this it reads
 * `(UuidValue | array<UuidValue> | EqualToUuidValue | …)`, each name a schema on the page. It
 * wraps the component that prints the label (the label function itself cannot be replaced).
 */
const readableTypes = `function readableTypes(system) {
  const label = (schema, original) => {
    if (schema && typeof schema === "object") {
      // a reference not resolved yet ($ref), or resolved (swagger-ui keeps where it came from in $$ref)
      const ref = typeof schema.$ref === "string" ? schema.$ref : schema.$$ref;
      if (typeof ref === "string") return ref.split("/").pop().replace(/^Commlog\\.Common\\./, "");
      const union = schema.anyOf || schema.oneOf;
      if (Array.isArray(union) && schema.type === undefined) return "(" + union.map((s) => label(s, original)).join(" | ") + ")";
      if (schema.type === "array" && schema.items) return "array<" + label(schema.items, original) + ">";
    }
    return original(schema);
  };
  return {
    wrapComponents: {
      JSONSchema202012KeywordType: (Original, system) => (props) => {
        const fn = system.fn.jsonSchema202012;
        const text = label(props.schema, fn.getType) + (props.isCircular ? " [circular]" : "");
        return system.React.createElement("strong", { className: "json-schema-2020-12__attribute json-schema-2020-12__attribute--primary" }, text);
      },
    },
  };
}`;

function referencePage(dialect: Dialect): string {
  return page(
    `commlog — ${titles[dialect]}`,
    `<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>
  window.ui = SwaggerUIBundle({
    url: "/openapi/${dialect}.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    // x-commlog-access (who may call it, by identifier) shown on each operation beside its description
    showExtensions: true,
    showCommonExtensions: true,
    displayRequestDuration: true,
    plugins: [${readableTypes}],
    // A browser cannot send a body with GET (fetch refuses): the GET twins that take one are sent
    // without it, which they answer like an empty body; their POST twins take the body.
    requestInterceptor: (request) => { if (request.method === "GET" || request.method === "HEAD") delete request.body; return request; },
  });
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
