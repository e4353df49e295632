/**
 * The UDF runner Lambda's handler (Node.js). It runs a user-defined function bundle only if the bundle
 * matches the SHA-256 it was uploaded with (seed 003: bundles are content-addressed), inside a fresh V8
 * context without `require`, `process` or string code generation, under a time limit. The vm context
 * is not the security boundary — the Lambda is: no internet route, no secrets, an untrusted role.
 */
export const UDF_RUNNER_SOURCE = `"use strict";
const crypto = require("crypto");
const vm = require("vm");

const TIME_LIMIT_MS = 5000;

exports.handler = async (event) => {
    const source = Buffer.from(String(event.bundle ?? ""), "base64").toString("utf8");
    const digest = crypto.createHash("sha256").update(source).digest("hex");
    if (typeof event.sha256 !== "string" || digest !== event.sha256.toLowerCase()) {
        return { ok: false, error: "bundle digest does not match sha256" };
    }
    const rows = Array.isArray(event.rows) ? event.rows : [];
    const script = new vm.Script(
        '"use strict";\\n' +
            "const module = { exports: {} };\\n" +
            source +
            '\\n;if (typeof module.exports !== "function") { throw new TypeError("bundle must set module.exports to a function"); }\\n' +
            "JSON.stringify(JSON.parse(input).map((row) => module.exports(row)));",
    );
    const context = vm.createContext({ input: JSON.stringify(rows) }, { codeGeneration: { strings: false, wasm: false } });
    try {
        return { ok: true, rows: JSON.parse(script.runInContext(context, { timeout: TIME_LIMIT_MS })) };
    } catch (err) {
        return { ok: false, error: String(err && err.message ? err.message : err) };
    }
};
`;
