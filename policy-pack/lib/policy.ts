// The frame every resource policy runs in: read and validate config, honour exemptions, run the
// checks with unknown tracking, report findings in the pack's message shape.

import { ReportViolation, ResourceValidationArgs, TypedResourceValidation } from "@pulumi/policy";

// Every policy runs in this frame, so loading any policy installs the hook (one deserialisation
// of a resource per request, shared by all policies).
import "./deserialize";
import { ConfigReader, SharedConfig, configFrom, registerOwnReader } from "./config";
import { skipIfExempt } from "./exemptions";
import { Finding, formatFinding, subjectOf } from "./messages";
import { UnknownTracker } from "./unknowns";

export interface CheckContext<T extends object> {
    readonly args: ResourceValidationArgs;
    readonly cfg: SharedConfig & T;
    /** Independent checks run through `unknowns.check(...)` so one unknown never hides another finding. */
    readonly unknowns: UnknownTracker;
    /** `security group 'jobs'` for the resource under analysis. */
    readonly subject: string;
    report(f: Omit<Finding, "subject"> & { subject?: string }): void;
}

/**
 * Wraps a typed check: config errors throw (a broken config must stop the preview), an exempted
 * resource is "not applicable", definite findings are reported, then any unknown is re-thrown for
 * the server to report as "can't run during preview".
 */
export function checked<P, T extends object = object>(
    policyName: string,
    check: (props: P, ctx: CheckContext<T>) => void,
    own?: (r: ConfigReader) => T,
): TypedResourceValidation<P> {
    registerOwnReader(policyName, own);
    return (props: P, args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const cfg = configFrom(policyName, args, own);
        skipIfExempt(args, cfg.exemptions, policyName);
        const subject = subjectOf(args);
        const unknowns = new UnknownTracker();
        check(props, {
            args,
            cfg,
            unknowns,
            subject,
            report: (f) => reportViolation(formatFinding({ ...f, subject: f.subject ?? subject })),
        });
        unknowns.rethrow();
    };
}
