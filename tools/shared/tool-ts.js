// Preloaded (`node --require`) by the tool's own processes when they run from TypeScript sources:
// compiles the tool's files only (scope: tools/). A program or policy pack loaded in the same process
// registers its own ts-node with its own options, as the Pulumi language host does; this registration
// leaves every file outside tools/ to it.
"use strict";
const path = require("path");
require("ts-node").register({
    transpileOnly: true,
    scope: true,
    scopeDir: path.join(__dirname, ".."),
    project: path.join(__dirname, "..", "..", "tsconfig.json"),
});
