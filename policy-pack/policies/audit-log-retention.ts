// audit-log-retention: the security model keeps "audit logs retained for 1 year minimum
// (compliance)". The pack cannot read a log's content, so it knows a log group is an audit log by
// what writes to it or by its tag:
//   - the CloudWatch Logs destination of a VPC flow log (aws.ec2.FlowLog);
//   - the destination of Route 53 Resolver query logging (aws.route53.ResolverQueryLogConfig);
//   - the CloudWatch Logs group of a CloudTrail trail (aws.cloudtrail.Trail);
//   - a log group tagged with an audit data class under the team's data-class tag key.
// Each keeps its events at least the team's minimum (365 days by default); no retention at all
// (retentionInDays unset or 0) means never expire, which counts. A stack policy, since the writers link
// to their groups by ARNs that are unknown at preview.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { integerSchema, readInteger } from "../lib/config-numbers";
import { CLOUDWATCH_LOGS, FLOW_LOG, LOG_GROUP, logGroupsOf } from "../lib/logs";
import { list, subjectOf } from "../lib/messages";
import { asNumber, asString, tagValue } from "../lib/resources";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UNKNOWN_STRING, UnknownValueError, presenceOf } from "../lib/unknowns";

export const AUDIT_LOG_RETENTION = "audit-log-retention";

const QUERY_LOG_CONFIG = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig";
const TRAIL = "aws:cloudtrail/trail:Trail";

export const DEFAULT_MIN_AUDIT_RETENTION_DAYS = 365;
export const DEFAULT_AUDIT_DATA_CLASSES: readonly string[] = ["audit"];
/** The retention values CloudWatch Logs accepts (PutRetentionPolicy), to suggest a valid one. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

interface AuditConfig {
    readonly minRetentionDays: number;
    readonly auditDataClasses: readonly string[];
}
type Ctx = StackContext<AuditConfig>;

const schema = policyConfigSchema(["tagKeys", "exemptions"], {
    minRetentionDays: integerSchema("Shortest retention, in days, of a log group that receives audit logs (never expire always passes).", 1, 3653, DEFAULT_MIN_AUDIT_RETENTION_DAYS),
    auditDataClasses: {
        type: "array",
        description: "Values of the data-class tag that mark a log group as an audit log.",
        items: { type: "string", minLength: 1 },
        default: [...DEFAULT_AUDIT_DATA_CLASSES],
    },
});

/** Why each log group is an audit log, e.g. "the destination of flow log 'vpc'". */
type AuditGroups = Map<PolicyResource, string[]>;


/**
 * The log groups a writer's `properties` (ARNs or names) point at. A link that is neither traceable
 * nor known could be any group: it defers the verdict, but only when some group could fail.
 */
function link(ctx: Ctx, groups: AuditGroups, anyCouldFail: boolean, writer: PolicyResource, properties: readonly string[], why: string): void {
    const found = new Set(properties.flatMap((property) => logGroupsOf(ctx.index, writer, property)));
    for (const g of found) {
        groups.set(g, [...(groups.get(g) ?? []), why]);
    }
    const unknown = properties.find((p) => presenceOf(writer.props, p) === Presence.Unknown);
    if (found.size === 0 && unknown !== undefined && anyCouldFail) {
        throw new UnknownValueError(UNKNOWN_STRING, [`${unknown} of ${subjectOf(writer)}`]);
    }
}

/** Whether a group's retention is short of the minimum; unknown counts as could-fail. */
function couldFail(ctx: Ctx, g: PolicyResource): boolean {
    const raw = presenceOf(g.props, "retentionInDays");
    if (raw === Presence.Unknown) {
        return true;
    }
    const days = raw === Presence.Absent ? 0 : asNumber(g.props["retentionInDays"]) ?? 0;
    return days !== 0 && days < ctx.cfg.minRetentionDays;
}

function auditGroups(ctx: Ctx): AuditGroups {
    const groups: AuditGroups = new Map();
    // An untraceable link defers the verdict only when some log group could fail.
    const anyCouldFail = ctx.index.ofType(LOG_GROUP).some((g) => couldFail(ctx, g));
    for (const g of ctx.index.ofType(LOG_GROUP)) {
        ctx.each(g, () => {
            const dataClass = tagValue(g, ctx.cfg.tagKeys.dataClass);
            if (dataClass !== undefined && ctx.cfg.auditDataClasses.includes(dataClass)) {
                groups.set(g, [...(groups.get(g) ?? []), `tagged ${ctx.cfg.tagKeys.dataClass}=${dataClass}`]);
            }
        });
    }
    for (const fl of ctx.index.ofType(FLOW_LOG)) {
        ctx.each(fl, () => {
            if ((asString(fl.props["logDestinationType"]) ?? CLOUDWATCH_LOGS) === CLOUDWATCH_LOGS) {
                link(ctx, groups, anyCouldFail, fl, ["logDestination", "logGroupName"], `the destination of ${subjectOf(fl)}`);
            }
        });
    }
    for (const q of ctx.index.ofType(QUERY_LOG_CONFIG)) {
        ctx.each(q, () => link(ctx, groups, anyCouldFail, q, ["destinationArn"], `the destination of ${subjectOf(q)}`));
    }
    for (const t of ctx.index.ofType(TRAIL)) {
        ctx.each(t, () => link(ctx, groups, anyCouldFail, t, ["cloudWatchLogsGroupArn"], `the log group of ${subjectOf(t)}`));
    }
    return groups;
}

function checkGroup(ctx: Ctx, g: PolicyResource, why: readonly string[]): void {
    ctx.each(g, () => {
        const days = asNumber(g.props["retentionInDays"]) ?? 0;
        if (days === 0 || days >= ctx.cfg.minRetentionDays) {
            return;
        }
        const suggested = CLOUDWATCH_RETENTION_DAYS.find((d) => d >= ctx.cfg.minRetentionDays) ?? 0;
        ctx.report(g, {
            finding: `receives audit logs (${list(why)}) but keeps them ${days} day${days === 1 ? "" : "s"}`,
            rule: `audit logs are kept at least ${ctx.cfg.minRetentionDays} days (never expire counts)`,
            fix: suggested === 0 ? "Leave retentionInDays unset (never expire)" : `Set retentionInDays to ${suggested} or more, or leave it unset to never expire`,
        });
    });
}

function readConfig(r: ConfigReader): AuditConfig {
    rejectUnknownKeys(r, schema);
    return {
        minRetentionDays: readInteger(r, "minRetentionDays", 1, 3653, DEFAULT_MIN_AUDIT_RETENTION_DAYS),
        auditDataClasses: r.stringArray("auditDataClasses", DEFAULT_AUDIT_DATA_CLASSES),
    };
}

export const auditLogRetention: StackValidationPolicy = {
    name: AUDIT_LOG_RETENTION,
    description:
        "Forbids retention below the team's minimum (365 days by default; never expire passes) on log groups that receive audit logs: flow log and Resolver query log destinations, CloudTrail log groups, and log groups tagged with an audit data class.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        AUDIT_LOG_RETENTION,
        (ctx) => {
            for (const [g, why] of auditGroups(ctx)) {
                checkGroup(ctx, g, why);
            }
        },
        readConfig,
    ),
};
