import { expect } from "chai";

import { ownReaderOf, readPolicyConfig } from "../../../policy-pack/lib/config";
import { SECRET_PATH_NAMING, secretPathNaming } from "../../../policy-pack/policies/secret-path-naming";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings, rejection } from "../support";

const rule = (env: string) =>
    `secret names must follow /${env}/trace/{component}/{secret_name} or /${env}/{org_slug}/{secret_name} (each segment lower-case letters, digits, '-' and '_', starting with a letter or digit) so IAM path policies scope them`;
const secret = (props: Record<string, unknown>) => ({ type: "aws:secretsmanager/secret:Secret", name: "worker-token", props: { kmsKeyId: U, ...props } });

describe("secret-path-naming", () => {
    it("passes both path shapes with the stack's environment", async () => {
        for (const name of ["/prod/trace/workers/worker_token", "/prod/acme/monad_rpc_key", "/prod/trace/postgres-state/password"]) {
            const res = await runResourcePolicy(secretPathNaming, secret({ name }), { stack: "prod" });
            expect(res.diagnostics, name).to.deep.equal([]);
        }
    });

    it("reports a secret whose environment segment is another stack's, with the corrected name", async () => {
        const res = await runResourcePolicy(secretPathNaming, secret({ name: "/prod/trace/workers/worker_token" }), { stack: "dev" });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `secret 'worker-token' is named /prod/trace/workers/worker_token, whose environment segment prod is not this stack's environment dev; ${rule("dev")}. Name it /dev/trace/workers/worker_token, or map this stack to its environment with the environments config key.`,
            ],
        ]);
        expect(res.diagnostics[0].policyName).to.equal(SECRET_PATH_NAMING);
    });

    it("maps stack names to environments through config, and lets config force the environment", async () => {
        const mapped = await runResourcePolicy(secretPathNaming, secret({ name: "/prod/acme/k" }), { stack: "prod-eu", config: { environments: { "prod-eu": "prod" } } });
        const forced = await runResourcePolicy(secretPathNaming, secret({ name: "/staging/acme/k" }), { stack: "ci-123", config: { environment: "staging" } });
        expect(mapped.diagnostics).to.deep.equal([]);
        expect(forced.diagnostics).to.deep.equal([]);
    });

    it("reports names off the shapes: too deep, too shallow, upper case, no leading slash, spaces", async () => {
        const cases: [string, string][] = [
            ["/dev/trace/workers/token/v2", "/dev/trace/workers/token/v2"],
            ["/dev/token", "/dev/token"],
            ["/dev/Acme/key", "/dev/Acme/key"],
            ["dev/acme/key", "dev/acme/key"],
            ["/dev/trace/workers/worker token", '"/dev/trace/workers/worker token"'],
        ];
        for (const [name, shown] of cases) {
            const res = await runResourcePolicy(secretPathNaming, secret({ name }), { stack: "dev" });
            expect(findings(res), name).to.deep.equal([
                ["mandatory", `secret 'worker-token' is named ${shown}; ${rule("dev")}. Rename it on a path shape, e.g. "/dev/trace/<component>/<secret_name>".`],
            ]);
        }
    });

    it("reports namePrefix and auto-naming, which add random suffixes", async () => {
        const prefix = await runResourcePolicy(secretPathNaming, secret({ namePrefix: "/dev/trace/workers/" }), { stack: "dev" });
        const auto = await runResourcePolicy(secretPathNaming, secret({}), { stack: "dev" });
        expect(findings(prefix)).to.deep.equal([
            ["mandatory", `secret 'worker-token' uses namePrefix /dev/trace/workers/, so its name gets a random suffix; ${rule("dev")}. Replace namePrefix with an explicit name on the path shape.`],
        ]);
        expect(findings(auto)).to.deep.equal([
            ["mandatory", `secret 'worker-token' has no name, so Pulumi auto-names it with a random suffix; ${rule("dev")}. Set name explicitly, e.g. "/dev/trace/<component>/<secret_name>".`],
        ]);
    });

    it("accepts a team's own shapes and rejects malformed ones with every problem named", async () => {
        const ok = await runResourcePolicy(secretPathNaming, secret({ name: "/apps/dev/billing/stripe" }), { stack: "dev", config: { secretPathShapes: ["/apps/{env}/{app}/{key}"] } });
        expect(ok.diagnostics).to.deep.equal([]);
        const message = await rejection(
            runResourcePolicy(secretPathNaming, secret({ name: "/x" }), { stack: "dev", config: { secretPathShapes: ["/apps/{app}/{key}", "/{env}/Bad Segment"] } }),
        );
        // The schema has no pattern (the engine would print the regex): the reader names both problems, in words.
        const words = `invalid config for policy 'secret-path-naming': secretPathShapes[0] "/apps/{app}/{key}" has no {env} segment; ` +
            `secretPathShapes[1] "/{env}/Bad Segment" has segment "Bad Segment", which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'`;
        // The harness runs no Configure: the reader rejects it at Analyze (the pack does so at Configure).
        expect(message).to.contain(`PackConfigError: ${words}\n`);
        expect(() => readPolicyConfig(SECRET_PATH_NAMING, { secretPathShapes: ["/apps/{app}/{key}", "/{env}/Bad Segment"] }, ownReaderOf(SECRET_PATH_NAMING))).to.throw(words);
    });

    it("cannot check a name unknown at preview, but still reports a namePrefix next to it", async () => {
        const res = await runResourcePolicy(secretPathNaming, secret({ name: U, namePrefix: "x" }), { stack: "dev" });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `secret 'worker-token' uses namePrefix x, so its name gets a random suffix; ${rule("dev")}. Replace namePrefix with an explicit name on the path shape.`],
            ["advisory", canNotRun(SECRET_PATH_NAMING, "string value at .name")],
        ]);
    });
});
