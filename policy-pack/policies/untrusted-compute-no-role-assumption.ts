// untrusted-compute-no-role-assumption: the security model gives user code "no IAM role assumption"
// (container isolation; tokens "do not grant IAM role assumption"). A role that user code runs with
// and that may call sts:AssumeRole* reaches everything any role trusting it can do, so no grant that
// reaches an untrusted role may allow the AssumeRole family: not by name, not by a wildcard (`sts:*`,
// `sts:Assume*`, `*`), not by a NotAction that leaves it in, not through an AWS managed policy.
//
// Which compute is untrusted and which grants reach it: lib/untrusted.ts (shared with
// untrusted-compute-no-secrets). AWS managed policies are judged by their documents
// (lib/managed-policies.ts, copied from AWS's reference); one the table does not hold, or a customer
// managed policy outside the stack, cannot be read, so it is reported as unknown (advisory), never
// passed as safe and never a mandatory violation the pack cannot show.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { DocumentResult, DocumentVerdict, ROLE_ASSUMPTION_ACTIONS, actionAccess, awsManagedPolicyName } from "../lib/iam";
import { AWS_MANAGED_POLICIES } from "../lib/managed-policies";
import { subjectOf } from "../lib/messages";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { UNTRUSTED, collectUntrusted, judgeUntrustedGrants } from "../lib/untrusted";

export const UNTRUSTED_COMPUTE_NO_ROLE_ASSUMPTION = "untrusted-compute-no-role-assumption";

const schema = policyConfigSchema(["tagKeys", "exemptions"]);
type Ctx = StackContext<object>;

function rule(ctx: Ctx): string {
    return `untrusted compute (tag ${ctx.cfg.tagKeys.trust}=${UNTRUSTED}) must not be able to assume IAM roles (${ROLE_ASSUMPTION_ACTIONS.join(", ")}); its role holds only the scoped permissions the job needs`;
}

function subjectOn(role: PolicyResource, on: PolicyResource): string {
    return on === role ? subjectOf(role) : `${subjectOf(on)} on ${subjectOf(role)}`;
}

function reportResult(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, result: DocumentResult, via: string): void {
    const untrusted = `(${subjectOf(role)} is untrusted: ${why})`;
    if (result.verdict === DocumentVerdict.Grants) {
        ctx.report(on, {
            subject: subjectOn(role, on),
            finding: `${via}grants role assumption: ${result.detail} ${untrusted}`,
            rule: rule(ctx),
            fix: "Remove the sts:AssumeRole* actions (and the wildcards or NotAction that cover them) from this policy",
        });
    } else if (result.verdict === DocumentVerdict.Unreadable) {
        ctx.report(on, {
            subject: subjectOn(role, on),
            finding: `has a policy that cannot be verified: ${result.detail} ${untrusted}`,
            rule: rule(ctx),
            fix: "Give the policy as a valid JSON policy document",
        });
    }
}

function judgeDocument(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, doc: unknown, property: string): void {
    reportResult(ctx, role, why, on, actionAccess(doc, property, ROLE_ASSUMPTION_ACTIONS), "");
}

function judgeManagedArn(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, arn: string): void {
    const name = awsManagedPolicyName(arn);
    const known = name === undefined ? undefined : AWS_MANAGED_POLICIES[name];
    if (known !== undefined) {
        reportResult(ctx, role, why, on, actionAccess(known.document, name ?? arn, ROLE_ASSUMPTION_ACTIONS), `attaches AWS managed policy ${arn}, which `);
        return;
    }
    const kind = name === undefined ? "customer managed policy" : "AWS managed policy";
    const where = name === undefined ? "it is outside this stack" : `the pack does not hold its document (it knows ${Object.keys(AWS_MANAGED_POLICIES).join(", ")})`;
    ctx.advise(
        on,
        `${subjectOn(role, on)} attaches ${kind} ${arn} to untrusted ${subjectOf(role)}; ${where}, so it is unknown whether it grants role assumption (unknown is not safe). Grant the job's permissions in an in-stack policy, or exempt this resource with the reason it cannot assume roles`,
    );
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const untrustedComputeNoRoleAssumption: StackValidationPolicy = {
    name: UNTRUSTED_COMPUTE_NO_ROLE_ASSUMPTION,
    description:
        "Forbids sts:AssumeRole, AssumeRoleWithSAML and AssumeRoleWithWebIdentity (by name, wildcard or NotAction; inline, attached, exclusive-attached or AWS managed policies) for untrusted roles and the roles of untrusted tasks and functions.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        UNTRUSTED_COMPUTE_NO_ROLE_ASSUMPTION,
        (ctx) => {
            const { roles } = collectUntrusted(ctx);
            judgeUntrustedGrants(ctx, roles, {
                document: (role, why, on, doc, property) => judgeDocument(ctx, role, why, on, doc, property),
                managedArn: (role, why, on, arn) => judgeManagedArn(ctx, role, why, on, arn),
            });
        },
        readConfig,
    ),
};
