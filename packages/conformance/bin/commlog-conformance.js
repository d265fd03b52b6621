#!/usr/bin/env node
// The CLI is compiled to dist/ (`npm run build`; the monorepo's `npm start` and `npm test` build it).
// This stub exists before any build, so that npm links the bin when it installs the workspace.
import("../dist/cli.js").catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  process.stderr.write("commlog-conformance is not built yet: run `npm run build` (or `npx turbo run build --filter=@commlog/conformance`)\n");
  process.exit(2);
});
