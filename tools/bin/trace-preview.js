#!/usr/bin/env node
// The exit code is the contract CI reads: 1 means a mandatory violation. A tool that cannot start
// (a module missing from a broken install, the repository's build not run) or that fails inside must
// therefore exit 2, never 1, which is what Node itself uses for an uncaught error.
const ERROR_EXIT = 2;

function fail(why, e) {
    process.stderr.write(`error: trace-preview ${why}: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(ERROR_EXIT);
}

process.on("uncaughtException", (e) => fail("failed with an internal error", e));
process.on("unhandledRejection", (e) => fail("failed with an internal error", e));

let cli;
try {
    cli = require("../dist/cli.js");
} catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND") {
        // The first line of Node's message names the module; its require stack is noise here.
        process.stderr.write(
            `error: trace-preview could not start: ${e.message.split("\n")[0]}. ` +
            "Reinstall it (npm ci in the project that depends on it); in the trace-network-posture repository, run npm ci or npm run build.\n",
        );
        process.exit(ERROR_EXIT);
    }
    fail("could not start", e);
}
cli.main();
