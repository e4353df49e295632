// vpc-endpoint-data-perimeter: with no NAT, VPC endpoints are the only way out to AWS APIs, and an
// endpoint without a policy grants full access (AWS's default). Code that brings its own credentials
// (any untrusted job can) could then write to someone else's bucket or queue through it. Every Allow
// of an endpoint policy must therefore carry both halves of a data perimeter:
//   - identity: aws:PrincipalAccount or aws:PrincipalOrgID (only our principals use the endpoint);
//   - resource: aws:ResourceAccount, s3:ResourceAccount or aws:ResourceOrgID (only our resources).
// Each under StringEquals or StringEqualsIgnoreCase: the Not... and ...IfExists forms open the
// perimeter (IfExists passes when the key is absent), so they do not count. The one exception is a
// statement whose every Resource is in perimeterExceptionResources (by default ECR's layer bucket,
// which AWS owns, so no resource perimeter can name it).
//
// A stack policy, because an aws.ec2.VpcEndpointPolicy resource may set an endpoint's policy; it
// names the endpoint by an id that is unknown at preview (resolved through property dependencies).

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { globToRegExp } from "../lib/exemptions";
import { list, show, subjectOf } from "../lib/messages";
import { DocumentStatus, Statement, conditionValues, isDeny, parsePolicyDocument, stringList } from "../lib/policy-document";
import { asArray, asRecord, asString } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UNKNOWN_STRING, UnknownTracker, UnknownValueError, isUnknownSentinel, peekValue, presenceOf } from "../lib/unknowns";
import { isAwsServiceName } from "./vpc-endpoint-private-dns";

export const VPC_ENDPOINT_DATA_PERIMETER = "vpc-endpoint-data-perimeter";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
const AWSX_VPC = "awsx:ec2:Vpc";
/** Endpoint types that take a policy; Gateway is the provider's default when the type is unset. */
const POLICY_TYPES = ["Gateway", "Interface"];
const DEFAULT_ENDPOINT_TYPE = "Gateway";

export const DEFAULT_PERIMETER_EXCEPTIONS: readonly string[] = ["arn:aws:s3:::prod-*-starport-layer-bucket/*"];
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const ARN_PATTERN = /^arn:aws[a-z-]*:[^:]*:[^:]*:[^:]*:.+$/;
const OPERATORS = ["StringEquals", "StringEqualsIgnoreCase"];

enum Scope {
    Account = "account",
    Org = "org",
}

interface PerimeterKey {
    readonly key: string;
    readonly scope: Scope;
}

const IDENTITY_KEYS: readonly PerimeterKey[] = [
    { key: "aws:PrincipalAccount", scope: Scope.Account },
    { key: "aws:PrincipalOrgID", scope: Scope.Org },
];
const RESOURCE_KEYS: readonly PerimeterKey[] = [
    { key: "aws:ResourceAccount", scope: Scope.Account },
    { key: "s3:ResourceAccount", scope: Scope.Account },
    { key: "aws:ResourceOrgID", scope: Scope.Org },
];

interface PerimeterConfig {
    readonly trustedAccountIds: readonly string[];
    readonly trustedOrgIds: readonly string[];
    readonly perimeterExceptionResources: readonly string[];
}

type Ctx = StackContext<PerimeterConfig>;

const schema = policyConfigSchema(["exemptions"], {
    trustedAccountIds: {
        type: "array",
        description: "12-digit account ids an account perimeter may name (aws:PrincipalAccount, aws:ResourceAccount, s3:ResourceAccount). Empty: any.",
        items: { type: "string" },
        default: [],
    },
    trustedOrgIds: {
        type: "array",
        description: "Organization ids (o-...) an org perimeter may name (aws:PrincipalOrgID, aws:ResourceOrgID). Empty: any.",
        items: { type: "string" },
        default: [],
    },
    perimeterExceptionResources: {
        type: "array",
        description: "ARN globs of AWS-owned resources exempt from the perimeter when they are all of a statement's Resources (default: ECR's layer bucket in any region).",
        items: { type: "string" },
        default: [...DEFAULT_PERIMETER_EXCEPTIONS],
    },
});

function perimeterText(keys: readonly PerimeterKey[]): string {
    return keys.map((k) => k.key).join(", ");
}

function rule(ctx: Ctx): string {
    const trusted = [
        ctx.cfg.trustedAccountIds.length > 0 ? `accounts ${list(ctx.cfg.trustedAccountIds)}` : "",
        ctx.cfg.trustedOrgIds.length > 0 ? `organizations ${list(ctx.cfg.trustedOrgIds)}` : "",
    ].filter((t) => t !== "");
    return (
        `every Allow of a VPC endpoint policy needs an identity perimeter (${perimeterText(IDENTITY_KEYS)}) and a resource perimeter (${perimeterText(RESOURCE_KEYS)}) under ${OPERATORS.join(" or ")}` +
        (trusted.length > 0 ? `, naming only ${trusted.join(" and ")}` : "") +
        `, except statements on ${list(ctx.cfg.perimeterExceptionResources)} only`
    );
}

function fix(ctx: Ctx): string {
    const account = ctx.cfg.trustedAccountIds[0] ?? "<your account id>";
    return `Add to every Allow: "Condition": {"StringEquals": {"aws:PrincipalAccount": "${account}", "aws:ResourceAccount": "${account}"}} (or the org ids with aws:PrincipalOrgID / aws:ResourceOrgID)`;
}

function isException(ctx: Ctx, s: Statement): boolean {
    const resources = stringList(s.raw["Resource"], [...s.path, "Resource"]);
    return resources.length > 0 && resources.every((r) => ctx.cfg.perimeterExceptionResources.some((p) => globToRegExp(p).test(r)));
}

/** Problems of one half of the perimeter in one statement; empty when it is in place. */
function perimeterProblem(ctx: Ctx, s: Statement, keys: readonly PerimeterKey[], half: string): string | undefined {
    const untrusted: string[] = [];
    let present = false;
    for (const op of OPERATORS) {
        for (const k of keys) {
            const values = conditionValues(s, op, k.key);
            if (values === undefined) {
                continue;
            }
            present = true;
            const trusted = k.scope === Scope.Account ? ctx.cfg.trustedAccountIds : ctx.cfg.trustedOrgIds;
            const insensitive = op === "StringEqualsIgnoreCase";
            const outside = trusted.length === 0 ? [] : values.filter((v) => !trusted.some((t) => (insensitive ? t.toLowerCase() === v.toLowerCase() : t === v)));
            untrusted.push(...outside.map((v) => `${k.key}=${show(v)}`));
        }
    }
    if (!present) {
        return `no ${half} perimeter (${perimeterText(keys)} under ${OPERATORS.join("/")})`;
    }
    return untrusted.length > 0 ? `${half === "identity" ? "an" : "a"} ${half} perimeter naming untrusted ${untrusted.join(", ")}` : undefined;
}

function describeStatement(s: Statement): string {
    const actions = stringList(s.raw["Action"], [...s.path, "Action"]);
    const resources = stringList(s.raw["Resource"], [...s.path, "Resource"]);
    return `Statement[${s.index}] (Allow ${actions.length > 0 ? list(actions) : "NotAction"} on ${resources.length > 0 ? list(resources) : "NotResource"})`;
}

/** Checks one endpoint description; `subject` names it, `on` is the resource findings go to. */
function checkPolicy(ctx: Ctx, on: PolicyResource, subject: string, doc: unknown, property: string, unknowns: UnknownTracker): void {
    const parsed = parsePolicyDocument(doc, property);
    if (parsed.status === DocumentStatus.Unreadable) {
        ctx.report(on, { subject, finding: `has an endpoint policy that cannot be read (${parsed.reason})`, rule: rule(ctx), fix: fix(ctx) });
        return;
    }
    for (const s of parsed.statements) {
        unknowns.check(() => {
            if (isDeny(s) || isException(ctx, s)) {
                return;
            }
            const problems = [perimeterProblem(ctx, s, IDENTITY_KEYS, "identity"), perimeterProblem(ctx, s, RESOURCE_KEYS, "resource")].filter((p): p is string => p !== undefined);
            if (problems.length > 0) {
                ctx.report(on, { subject, finding: `has an endpoint policy whose ${describeStatement(s)} has ${problems.join(" and ")}`, rule: rule(ctx), fix: fix(ctx) });
            }
        });
    }
}

function noPolicy(ctx: Ctx, on: PolicyResource, subject: string): void {
    ctx.report(on, {
        subject,
        finding: "has no endpoint policy, so it grants full access to any principal and any resource (AWS's default)",
        rule: rule(ctx),
        fix: `Give it a policy. ${fix(ctx)}`,
    });
}

/** True when the endpoint takes a policy: an AWS service (not another account's endpoint service), Gateway or Interface. */
function inScope(endpoint: Record<string, unknown>): boolean {
    const serviceName = asString(endpoint["serviceName"]);
    const type = asString(endpoint["vpcEndpointType"]) ?? DEFAULT_ENDPOINT_TYPE;
    return serviceName !== undefined && isAwsServiceName(serviceName) && POLICY_TYPES.includes(type);
}

function readConfig(r: ConfigReader): PerimeterConfig {
    rejectUnknownKeys(r, schema);
    const accounts = r.accountIds("trustedAccountIds");
    const orgs = r.stringArray("trustedOrgIds", []);
    const exceptions = r.stringArray("perimeterExceptionResources", DEFAULT_PERIMETER_EXCEPTIONS);
    orgs.filter((o) => !ORG_ID.test(o)).forEach((o) => r.problems.push(`trustedOrgIds contains ${JSON.stringify(o)}, which is not an organization id (o-...)`));
    exceptions.filter((e) => !ARN_PATTERN.test(e)).forEach((e) => r.problems.push(`perimeterExceptionResources contains ${JSON.stringify(e)}, which is not an ARN (glob)`));
    return { trustedAccountIds: accounts, trustedOrgIds: orgs, perimeterExceptionResources: exceptions };
}

export const vpcEndpointDataPerimeter: StackValidationPolicy = {
    name: VPC_ENDPOINT_DATA_PERIMETER,
    description:
        "Requires a policy on every VPC endpoint for an AWS service (aws.ec2.VpcEndpoint, awsx vpcEndpointSpecs) whose every Allow carries an identity perimeter and a resource perimeter.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        VPC_ENDPOINT_DATA_PERIMETER,
        (ctx) => {
            const separate = new Map<PolicyResource, PolicyResource[]>();
            const unresolved: PolicyResource[] = [];
            for (const p of ctx.index.ofType(VPC_ENDPOINT_POLICY)) {
                const endpoints = ctx.index.references(p, "vpcEndpointId", [VPC_ENDPOINT], knownStringsAt(p.props, ["vpcEndpointId"]));
                if (endpoints.length === 0 && isUnknownSentinel(peekValue(p.props, "vpcEndpointId"))) {
                    unresolved.push(p);
                }
                endpoints.forEach((e) => separate.set(e, [...(separate.get(e) ?? []), p]));
            }
            for (const ep of ctx.index.ofType(VPC_ENDPOINT)) {
                ctx.each(ep, () => {
                    if (!inScope(ep.props)) {
                        return;
                    }
                    const subject = `${subjectOf(ep)} (${asString(ep.props["serviceName"])})`;
                    const unknowns = new UnknownTracker();
                    const policies = separate.get(ep) ?? [];
                    const inline = presenceOf(ep.props, "policy") !== Presence.Absent;
                    if (inline) {
                        unknowns.check(() => checkPolicy(ctx, ep, subject, ep.props["policy"], "policy", unknowns));
                    }
                    for (const p of policies) {
                        unknowns.check(() => checkPolicy(ctx, p, `${subjectOf(p)} of ${subject}`, p.props["policy"], "policy", unknowns));
                    }
                    if (!inline && policies.length === 0) {
                        if (unresolved.length > 0) {
                            throw new UnknownValueError(UNKNOWN_STRING, [`vpcEndpointId of ${subjectOf(unresolved[0])}`]);
                        }
                        noPolicy(ctx, ep, subject);
                    }
                    unknowns.rethrow();
                });
            }
            for (const vpc of ctx.index.ofType(AWSX_VPC)) {
                ctx.each(vpc, () => {
                    const unknowns = new UnknownTracker();
                    asArray(vpc.props["vpcEndpointSpecs"]).forEach((raw, i) => {
                        unknowns.check(() => {
                            const spec = asRecord(raw);
                            if (spec === undefined || !inScope(spec)) {
                                return;
                            }
                            const subject = `${subjectOf(vpc)} endpoint vpcEndpointSpecs[${i}] (${asString(spec["serviceName"])})`;
                            if (presenceOf(spec, "policy") === Presence.Absent) {
                                noPolicy(ctx, vpc, subject);
                            } else {
                                checkPolicy(ctx, vpc, subject, spec["policy"], `vpcEndpointSpecs[${i}].policy`, unknowns);
                            }
                        });
                    });
                    unknowns.rethrow();
                });
            }
        },
        readConfig,
    ),
};
