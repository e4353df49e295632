// The frame every stack policy runs in (the counterpart of policy.ts for resource policies).
//
// Stack policies look at many resources; an unknown value in one of them must neither stop the
// others nor be silently passed. Each resource is checked on its own: definite findings are
// reported (mandatory, attributed to the resource's URN), and a resource whose check hit an
// unknown value gets an advisory "could not be checked during preview" naming the unknown path,
// the same wording @pulumi/policy uses for resource policies.

import { PolicyResource, ReportViolation, StackValidation, StackValidationArgs } from "@pulumi/policy";

// Every policy runs in this frame, so loading any policy installs the hook (one deserialisation
// of a resource per request, shared by all policies).
import "./deserialize";
import { ConfigReader, SharedConfig, configFrom, registerOwnReader } from "./config";
import { findExemption } from "./exemptions";
import { Finding, formatFinding, subjectOf } from "./messages";
import { StackIndex } from "./stack";
import { isUnknownValueError } from "./unknowns";

export interface StackContext<T extends object> {
    readonly args: StackValidationArgs;
    readonly cfg: SharedConfig & T;
    readonly index: StackIndex;
    /** Reports a mandatory finding on `resource` (at the policy's level), unless it is exempted. */
    report(resource: PolicyResource, f: Omit<Finding, "subject"> & { subject?: string }): void;
    /** Reports an advisory on `resource` ("cannot prove ..."), unless it is exempted. */
    advise(resource: PolicyResource, text: string): void;
    /** Runs `fn` for one resource; an unknown value turns into an advisory for that resource only. */
    each(resource: PolicyResource, fn: () => void): void;
    isExempt(resource: PolicyResource): boolean;
}

type ViolationInfo = { message: string; urn?: string; enforcementLevel?: "advisory" };

/** reportViolation also accepts a policy-info object (server.js); its typings only show strings. */
function reportObject(report: ReportViolation, info: ViolationInfo): void {
    (report as unknown as (info: ViolationInfo) => void)(info);
}

export function checkedStack<T extends object = object>(
    policyName: string,
    check: (ctx: StackContext<T>) => void,
    own?: (r: ConfigReader) => T,
): StackValidation {
    registerOwnReader(policyName, own);
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const cfg = configFrom(policyName, args, own);
        const index = new StackIndex(args.resources);
        const isExempt = (r: PolicyResource) => findExemption(cfg.exemptions, policyName, r) !== undefined;
        const ctx: StackContext<T> = {
            args,
            cfg,
            index,
            isExempt,
            report: (r, f) => {
                if (!isExempt(r)) {
                    reportViolation(formatFinding({ ...f, subject: f.subject ?? subjectOf(r) }), r.urn);
                }
            },
            advise: (r, text) => {
                if (!isExempt(r)) {
                    reportObject(reportViolation, { message: text, urn: r.urn, enforcementLevel: "advisory" });
                }
            },
            each: (r, fn) => {
                try {
                    fn();
                } catch (e) {
                    if (!isUnknownValueError(e)) {
                        throw e;
                    }
                    ctx.advise(r, `can't fully check ${subjectOf(r)} during preview: ${e.message}; it is checked again when the value is known`);
                }
            },
        };
        check(ctx);
    };
}

