#!/usr/bin/env node
// The CLI is TypeScript; compile it on the fly (no type check: `npm test` does that) instead of
// shipping a build step.
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
require("../preview.ts").main();
