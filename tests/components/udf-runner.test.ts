import { expect } from "chai";
import * as crypto from "crypto";
import * as vm from "vm";
import { UDF_RUNNER_SOURCE } from "../../components/udf-runner";

type Handler = (event: unknown) => Promise<{ ok: boolean; rows?: unknown[]; error?: string }>;

/** Loads the handler source the way Lambda's Node runtime does: a CommonJS module with require and exports. */
function loadHandler(): Handler {
    const module = { exports: {} as { handler?: Handler } };
    vm.runInThisContext(`(function (require, module, exports) {${UDF_RUNNER_SOURCE}\n})`)(require, module, module.exports);
    return module.exports.handler!;
}

function event(bundle: string, rows: unknown[], sha256 = crypto.createHash("sha256").update(bundle).digest("hex")): unknown {
    return { bundle: Buffer.from(bundle).toString("base64"), sha256, rows };
}

describe("UDF runner handler", () => {
    const handler = loadHandler();

    it("runs a bundle whose digest matches on every row", async () => {
        const result = await handler(event("module.exports = (row) => ({ total: row.a + row.b });", [{ a: 1, b: 2 }, { a: 5, b: 5 }]));
        expect(result).to.deep.equal({ ok: true, rows: [{ total: 3 }, { total: 10 }] });
    });

    it("refuses a bundle whose digest does not match, without running it", async () => {
        const result = await handler(event("module.exports = (row) => row;", [{}], "0".repeat(64)));
        expect(result).to.deep.equal({ ok: false, error: "bundle digest does not match sha256" });
    });

    it("gives the bundle no require and no process", async () => {
        expect(await handler(event('module.exports = () => require("fs");', [{}]))).to.deep.equal({ ok: false, error: "require is not defined" });
        expect(await handler(event("module.exports = () => process.env;", [{}]))).to.deep.equal({ ok: false, error: "process is not defined" });
    });

    it("refuses string code generation inside the bundle", async () => {
        const result = await handler(event('module.exports = () => eval("1 + 1");', [{}]));
        expect(result.ok).to.equal(false);
        expect(result.error).to.match(/Code generation from strings disallowed/);
    });

    it("reports a bundle that exports no function", async () => {
        expect(await handler(event("module.exports = 42;", [{}]))).to.deep.equal({ ok: false, error: "bundle must set module.exports to a function" });
    });
});
