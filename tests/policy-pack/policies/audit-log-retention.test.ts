import { expect } from "chai";

import { AUDIT_LOG_RETENTION, auditLogRetention } from "../../../policy-pack/policies/audit-log-retention";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const QUERY_LOG = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig";
const TRAIL = "aws:cloudtrail/trail:Trail";

const RULE = "audit logs are kept at least 365 days (never expire counts)";
const FIX = "Set retentionInDays to 365 or more, or leave it unset to never expire.";
const arnOf = (name: string) => `arn:aws:logs:eu-west-1:123456789012:log-group:${name}`;

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    const set = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
    return { type, name, props: set, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

interface Retention {
    flow?: number;
    dns?: number;
    trail?: number;
    tagged?: number;
    app?: number;
}

/**
 * One audit log group of each shape (flow log, Resolver query logs, CloudTrail, tagged) and an
 * application log group kept 14 days, which is not an audit log. Preview: writers link to their group
 * by property dependency (ARNs unknown); plan: by known ARN or name.
 */
function stack(plan: boolean, retention: Retention = {}): HarnessResource[] {
    const known = <T>(v: T) => (plan ? v : U);
    const group = (name: string, days: number | undefined, tags?: Record<string, string>) => res(LOG_GROUP, name, { name: `/trace/${name}`, retentionInDays: days, arn: known(arnOf(`/trace/${name}`)), tags });
    const to = (property: string, name: string) => (plan ? {} : { [property]: [urnOf(LOG_GROUP, name)] });
    return [
        group("flow", retention.flow ?? 365),
        group("dns", retention.dns ?? 400),
        group("trail", retention.trail),
        group("tagged", retention.tagged ?? 731, { "trace:data-class": "audit" }),
        group("app", retention.app ?? 14),
        res(FLOW_LOG, "vpc-flow", { vpcId: "vpc-1", trafficType: "ALL", logDestination: known(arnOf("/trace/flow")) }, to("logDestination", "flow")),
        res(QUERY_LOG, "dns-queries", { name: "dns", destinationArn: known(arnOf("/trace/dns")) }, to("destinationArn", "dns")),
        res(TRAIL, "org-trail", { name: "trail", s3BucketName: "trail-bucket", cloudWatchLogsGroupArn: known(`${arnOf("/trace/trail")}:*`) }, to("cloudWatchLogsGroupArn", "trail")),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(auditLogRetention, resources, opts));
}

describe("audit-log-retention", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";

        it(`${mode}: passes audit log groups kept 365 days or more, or never expiring, and leaves other log groups alone`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports a flow log's destination kept 30 days`, async () => {
            expect(await run(stack(plan, { flow: 30 }))).to.deep.equal([
                ["mandatory", urnOf(LOG_GROUP, "flow"), `log group 'flow' receives audit logs (the destination of flow log 'vpc-flow') but keeps them 30 days; ${RULE}. ${FIX}`],
            ]);
        });

        it(`${mode}: reports Resolver query logs, a CloudTrail log group and a tagged audit group kept too short`, async () => {
            expect(await run(stack(plan, { dns: 90, trail: 180, tagged: 1 }))).to.deep.equal([
                ["mandatory", urnOf(LOG_GROUP, "tagged"), `log group 'tagged' receives audit logs (tagged trace:data-class=audit) but keeps them 1 day; ${RULE}. ${FIX}`],
                ["mandatory", urnOf(LOG_GROUP, "dns"), `log group 'dns' receives audit logs (the destination of Resolver query log config 'dns-queries') but keeps them 90 days; ${RULE}. ${FIX}`],
                ["mandatory", urnOf(LOG_GROUP, "trail"), `log group 'trail' receives audit logs (the log group of CloudTrail trail 'org-trail') but keeps them 180 days; ${RULE}. ${FIX}`],
            ]);
        });
    }

    it("plan: finds a flow log's group by its logGroupName, and ignores flow logs to S3", async () => {
        const byName = stack(true, { flow: 30 }).map((r) => (r.type === FLOW_LOG ? res(FLOW_LOG, r.name, { vpcId: "vpc-1", trafficType: "ALL", logGroupName: "/trace/flow" }) : r));
        expect((await run(byName)).map((f) => f[1])).to.deep.equal([urnOf(LOG_GROUP, "flow")]);
        const toS3 = stack(true, { flow: 30 }).map((r) => (r.type === FLOW_LOG ? res(FLOW_LOG, r.name, { ...r.props, logDestinationType: "s3", logDestination: "arn:aws:s3:::flow" }) : r));
        expect(await run(toS3)).to.deep.equal([]);
    });

    it("honours the team's minimum, audit data classes, tag key and exemptions", async () => {
        expect((await run(stack(true), { config: { minRetentionDays: 400 } })).map((f) => f[2].split(";")[0])).to.deep.equal([
            "log group 'flow' receives audit logs (the destination of flow log 'vpc-flow') but keeps them 365 days",
        ]);
        expect((await run(stack(true), { config: { minRetentionDays: 10 } })).length).to.equal(0);
        const app = { config: { auditDataClasses: ["audit", "app-audit"] } };
        const appTagged = stack(true).map((r) => (r.name === "app" ? res(LOG_GROUP, "app", { ...r.props, tags: { "trace:data-class": "app-audit" } }) : r));
        expect((await run(appTagged, app)).map((f) => f[1])).to.deep.equal([urnOf(LOG_GROUP, "app")]);
        const teamTag = stack(true, { tagged: 7 }).map((r) => (r.name === "tagged" ? res(LOG_GROUP, "tagged", { ...r.props, tags: { "team:class": "audit" } }) : r));
        expect(await run(teamTag)).to.deep.equal([]);
        expect((await run(teamTag, { config: { tagKeys: { dataClass: "team:class" } } })).map((f) => f[1])).to.deep.equal([urnOf(LOG_GROUP, "tagged")]);
        expect(await run(stack(true, { flow: 30 }), { config: { exemptions: [{ resource: "flow", reason: "sandbox VPC, no customer traffic" }] } })).to.deep.equal([]);
    });

    it("preview: defers an untraceable destination only when some log group could fail", async () => {
        const untraced = (retention: Retention) => stack(false, retention).map((r) => (r.type === FLOW_LOG ? res(FLOW_LOG, r.name, r.props) : r));
        const deferred = await run(untraced({}));
        expect(deferred).to.deep.equal([
            ["advisory", urnOf(FLOW_LOG, "vpc-flow"), "can't fully check flow log 'vpc-flow' during preview: string value at .logDestination of flow log 'vpc-flow' can't be known during preview; it is checked again when the value is known"],
        ]);
        const noShortGroup = (await run(untraced({ app: 365 }))).filter((f) => f[1] === urnOf(FLOW_LOG, "vpc-flow"));
        expect(noShortGroup).to.deep.equal([]);
        const unknownRetention = await run(stack(false).map((r) => (r.name === "flow" ? res(LOG_GROUP, "flow", { ...r.props, retentionInDays: U }) : r)));
        expect(unknownRetention.map(([level, urn]) => [level, urn])).to.deep.equal([["advisory", urnOf(LOG_GROUP, "flow")]]);
    });

    it("rejects unknown config keys, naming them", async () => {
        const message = await runStackPolicy(auditLogRetention, stack(true), { config: { minimumDays: 365 } }).then(
            () => "resolved",
            (e: Error) => e.message,
        );
        expect(message).to.contain(`invalid config for policy '${AUDIT_LOG_RETENTION}': minimumDays is not a config key of this policy (its keys: enforcementLevel, tagKeys, exemptions, minRetentionDays, auditDataClasses)`);
    });
});
