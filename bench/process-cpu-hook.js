// Preloaded (NODE_OPTIONS=--require) into every Node process of a test run by `npm run bench -- tests`:
// at its end each process appends its own CPU time and what it runs to TRACE_PROCESS_CPU_LOG, so the
// run's CPU can be split by kind of process (the tool's recording children, the policy packs, npm).
// Plain JavaScript: it loads before any TypeScript support in processes that have none.
"use strict";
const fs = require("fs");

const log = process.env.TRACE_PROCESS_CPU_LOG;
let written = false;

function write() {
    if (written || log === undefined) {
        return;
    }
    written = true;
    const used = process.cpuUsage();
    const line = { script: process.argv[1] ?? "", cpu: (used.user + used.system) / 1e6 };
    fs.appendFileSync(log, `${JSON.stringify(line)}\n`);
}

process.on("exit", write);
// A policy pack is stopped with SIGTERM, which runs no exit listener. Record, then let the signal do
// what it would have done: the process's own handlers run in this same emit; with none, end as the
// signal would have ended it.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
    const onSignal = () => {
        write();
        if (process.listenerCount(signal) === 1) {
            process.removeListener(signal, onSignal);
            process.kill(process.pid, signal);
        }
    };
    process.on(signal, onSignal);
}
