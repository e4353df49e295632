// The whole pack config checked at Configure, before the engine analyzes anything.
//
// The engine validates each policy's config against its schema, but the wire form of a schema
// (PolicyConfigSchema: `properties` and `required`, see pkg/resource/analyzer/config.go in pulumi)
// has no top-level `additionalProperties`, so a misspelt key (`enforcmentLevel`, `exemption`,
// `allowedCidr`) passes it; and some checks (IPv6 CIDRs, path shapes) are beyond a JSON pattern.
// @pulumi/policy calls no pack code at Configure, so the pack wraps the library's Configure handler
// and fails it with every problem of every policy; the engine then stops before the program runs.

import { Policies, Policy } from "@pulumi/policy";
import * as path from "path";

import { PackConfigError, ownReaderOf, readPolicyConfig } from "./config";
import { suggestion } from "./nearest";

/** Every problem of every policy's config, as "<policy>: <problem>"; config keyed by policy name. */
export function packConfigProblems(policies: readonly Policy[], config: Readonly<Record<string, Record<string, unknown>>>): string[] {
    const byName = new Map(policies.map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const name of Object.keys(config)) {
        if (name !== "all" && !byName.has(name)) {
            problems.push(`${name}: is not a policy of this pack (${suggestion(name, [...byName.keys()], `its policies: ${[...byName.keys()].sort().join(", ")}`)})`);
        }
    }
    for (const p of policies) {
        const { enforcementLevel: _level, ...raw } = config[p.name] ?? {};
        const keys = Object.keys(p.configSchema?.properties ?? {});
        const allKeys = ["enforcementLevel", ...keys];
        const known: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw)) {
            if (keys.includes(k)) {
                known[k] = v;
            } else {
                problems.push(`${p.name}: unknown key ${JSON.stringify(k)} (value ${JSON.stringify(v)}); ${suggestion(k, allKeys, `its keys are ${allKeys.join(", ")}`)}`);
            }
        }
        try {
            readPolicyConfig(p.name, known, ownReaderOf(p.name));
        } catch (e) {
            if (!(e instanceof PackConfigError)) {
                throw e;
            }
            problems.push(...e.problems.map((x) => `${p.name}: ${x}`));
        }
    }
    return problems;
}

// The library's internals (untyped): the gRPC module its server is built on, and the proto request.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
type Callback = (err: unknown, resp?: unknown) => void;
type Handler = (call: { request: any }, callback: Callback) => void;

function configFromRequest(req: any): Record<string, Record<string, unknown>> {
    const config: Record<string, Record<string, unknown>> = {};
    for (const [name, pc] of req.getPolicyconfigMap().entries() as Iterable<[string, any]>) {
        config[name] = (pc.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    return config;
}

/**
 * Runs `serve` (the `new PolicyPack(...)` call) with the library's Configure handler wrapped so an
 * invalid config fails Configure with every problem, one per line.
 */
export function serveWithConfigCheck(policies: Policies, serve: () => void): void {
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/policy"))] }));
    const proto = grpc.Server.prototype;
    const addService = proto.addService;
    proto.addService = function (this: unknown, service: unknown, impl: Record<string, Handler>) {
        const configure = impl.configure;
        const checked: Handler = (call, callback) => {
            let problems: string[];
            try {
                problems = packConfigProblems(policies, configFromRequest(call.request));
            } catch (e) {
                callback({ code: grpc.status.INTERNAL, details: String(e), message: String(e) });
                return;
            }
            if (problems.length > 0) {
                const details = `invalid policy config:\n${problems.map((x) => `  ${x}`).join("\n")}`;
                callback({ code: grpc.status.INVALID_ARGUMENT, details, message: details });
                return;
            }
            configure(call, callback);
        };
        return addService.call(this, service, { ...impl, configure: checked });
    };
    try {
        serve();
    } finally {
        proto.addService = addService;
    }
}
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
