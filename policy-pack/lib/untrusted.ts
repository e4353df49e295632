// Untrusted compute and the IAM grants that reach it, shared by the policies that judge what user code
// may do (untrusted-compute-no-secrets, untrusted-compute-no-role-assumption).
//
// Untrusted = tagged trust=untrusted (roles, functions, task definitions, services), plus the roles
// those use (task role, Lambda role) and the task definitions untrusted services run. Grants are
// collected from every place IAM can attach them: inline role policies, aws.iam.RolePolicy,
// managed policies (managedPolicyArns, RolePolicyAttachment, PolicyAttachment,
// RolePolicyAttachmentsExclusive), in-stack aws.iam.Policy documents. The links are ids that are
// unknown at preview, so they are resolved through property dependencies.

import { PolicyResource } from "@pulumi/policy";

import { subjectOf } from "./messages";
import { asArray, asRecord, asString, tagValue } from "./resources";
import { knownStringsAt } from "./stack";
import { StackContext } from "./stack-policy";
import { UNKNOWN_STRING, UnknownTracker, UnknownValueError, isUnknownSentinel, peekElements } from "./unknowns";

export const UNTRUSTED = "untrusted";

export const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
const IAM_POLICY = "aws:iam/policy:Policy";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ECS_SERVICE = "aws:ecs/service:Service";
const LAMBDA = "aws:lambda/function:Function";

type Ctx = StackContext<object>;

/** Why a resource is untrusted, for messages: its own tag, or the untrusted compute that uses it. */
export type Untrusted = Map<PolicyResource, string>;

export interface UntrustedCompute {
    readonly roles: Untrusted;
    readonly tasks: Untrusted;
    readonly functions: Untrusted;
}

/** How one policy judges a grant: a policy document, or a managed policy known only by its ARN. */
export interface GrantJudge {
    document(role: PolicyResource, why: string, on: PolicyResource, doc: unknown, property: string): void;
    managedArn(role: PolicyResource, why: string, on: PolicyResource, arn: string): void;
}

function taggedUntrusted(ctx: Ctx, r: PolicyResource): boolean {
    let tagged = false;
    ctx.each(r, () => {
        tagged = tagValue(r, ctx.cfg.tagKeys.trust) === UNTRUSTED;
    });
    return tagged;
}

function untrustedTasks(ctx: Ctx): Untrusted {
    const tasks: Untrusted = new Map();
    for (const svc of ctx.index.ofType(ECS_SERVICE)) {
        if (taggedUntrusted(ctx, svc)) {
            for (const td of ctx.index.references(svc, "taskDefinition", [TASK_DEFINITION], knownStringsAt(svc.props, ["taskDefinition"]))) {
                tasks.set(td, `it runs untrusted ${subjectOf(svc)}`);
            }
        }
    }
    for (const td of ctx.index.ofType(TASK_DEFINITION)) {
        if (taggedUntrusted(ctx, td) && !tasks.has(td)) {
            tasks.set(td, "it is tagged untrusted");
        }
    }
    return tasks;
}

export function collectUntrusted(ctx: Ctx): UntrustedCompute {
    const roles: Untrusted = new Map();
    const functions: Untrusted = new Map();
    for (const role of ctx.index.ofType(ROLE)) {
        if (taggedUntrusted(ctx, role)) {
            roles.set(role, "it is tagged untrusted");
        }
    }
    const tasks = untrustedTasks(ctx);
    for (const [td] of tasks) {
        for (const role of ctx.index.references(td, "taskRoleArn", [ROLE], knownStringsAt(td.props, ["taskRoleArn"]))) {
            if (!roles.has(role)) {
                roles.set(role, `it is the task role of untrusted ${subjectOf(td)}`);
            }
        }
    }
    for (const fn of ctx.index.ofType(LAMBDA)) {
        if (taggedUntrusted(ctx, fn)) {
            functions.set(fn, "it is tagged untrusted");
            for (const role of ctx.index.references(fn, "role", [ROLE], knownStringsAt(fn.props, ["role"]))) {
                if (!roles.has(role)) {
                    roles.set(role, `it is the role of untrusted ${subjectOf(fn)}`);
                }
            }
        }
    }
    return { roles, tasks, functions };
}

/** A policy ARN input: an in-stack aws.iam.Policy (resolved by dependency or ARN), or an ARN string. */
function judgePolicyArn(ctx: Ctx, judge: GrantJudge, role: PolicyResource, why: string, on: PolicyResource, property: string): void {
    const known = knownStringsAt(on.props, [property]);
    const policies = ctx.index.references(on, property, [IAM_POLICY], known);
    for (const p of policies) {
        ctx.each(on, () => judge.document(role, why, on, p.props["policy"], `${p.name}.policy`));
    }
    if (policies.length === 0) {
        const arn = asString(on.props[property]);
        if (arn !== undefined) {
            judge.managedArn(role, why, on, arn);
        }
    }
}

/** aws.iam.RolePolicyAttachmentsExclusive: a list of policy ARNs, in-stack policies among them. */
function judgePolicyArnList(ctx: Ctx, judge: GrantJudge, role: PolicyResource, why: string, on: PolicyResource): void {
    const raw = on.props["policyArns"];
    const known = knownStringsAt(on.props, ["policyArns"]);
    const policies = ctx.index.references(on, "policyArns", [IAM_POLICY], known);
    for (const p of policies) {
        judge.document(role, why, on, p.props["policy"], `${p.name}.policy`);
    }
    const inStackArns = new Set(policies.flatMap((p) => knownStringsAt(p.props, ["arn"])));
    for (const arn of known.filter((a) => !inStackArns.has(a))) {
        judge.managedArn(role, why, on, arn);
    }
    if (policies.length === 0 && peekElements(raw).some(isUnknownSentinel)) {
        throw new UnknownValueError(UNKNOWN_STRING, ["policyArns"]);
    }
}

function judgeRole(ctx: Ctx, judge: GrantJudge, role: PolicyResource, why: string): void {
    ctx.each(role, () => {
        const unknowns = new UnknownTracker();
        unknowns.check(() => {
            asArray(role.props["inlinePolicies"]).forEach((p, i) => {
                unknowns.check(() => {
                    const ip = asRecord(p);
                    if (ip !== undefined && ip["policy"] !== undefined && ip["policy"] !== null && ip["policy"] !== "") {
                        judge.document(role, why, role, ip["policy"], `inlinePolicies[${i}].policy`);
                    }
                });
            });
        });
        unknowns.check(() => {
            for (const arn of asArray(role.props["managedPolicyArns"])) {
                unknowns.check(() => {
                    if (typeof arn === "string") {
                        judge.managedArn(role, why, role, arn);
                    }
                });
            }
        });
        unknowns.rethrow();
    });
}

/** Which untrusted roles a role-policy resource's `role`/`roles` input points at. */
function targets(ctx: Ctx, r: PolicyResource, property: string, roles: Untrusted): PolicyResource[] {
    const known = knownStringsAt(r.props, [property]);
    const byName = ctx.index.ofType(ROLE).filter((role) => {
        const name = knownStringsAt(role.props, ["name"])[0];
        return name !== undefined && known.includes(name);
    });
    const refs = new Set([...ctx.index.references(r, property, [ROLE], known), ...byName]);
    return [...refs].filter((role) => roles.has(role));
}

/** Hands every grant that reaches an untrusted role to `judge`, wherever IAM attaches it. */
export function judgeUntrustedGrants(ctx: Ctx, roles: Untrusted, judge: GrantJudge): void {
    for (const [role, why] of roles) {
        judgeRole(ctx, judge, role, why);
    }
    const why = (role: PolicyResource) => roles.get(role) ?? "";
    for (const rp of ctx.index.ofType(ROLE_POLICY)) {
        for (const role of targets(ctx, rp, "role", roles)) {
            ctx.each(rp, () => judge.document(role, why(role), rp, rp.props["policy"], "policy"));
        }
    }
    for (const att of ctx.index.ofType(ROLE_POLICY_ATTACHMENT)) {
        for (const role of targets(ctx, att, "role", roles)) {
            ctx.each(att, () => judgePolicyArn(ctx, judge, role, why(role), att, "policyArn"));
        }
    }
    for (const att of ctx.index.ofType(POLICY_ATTACHMENT)) {
        for (const role of targets(ctx, att, "roles", roles)) {
            ctx.each(att, () => judgePolicyArn(ctx, judge, role, why(role), att, "policyArn"));
        }
    }
    for (const att of ctx.index.ofType(ATTACHMENTS_EXCLUSIVE)) {
        for (const role of targets(ctx, att, "roleName", roles)) {
            ctx.each(att, () => judgePolicyArnList(ctx, judge, role, why(role), att));
        }
    }
}
