// untrusted-compute-no-secrets: user code (ECS jobs, UDF Lambdas) must never read secrets. Secrets
// are injected into platform tasks by ECS; an untrusted role with any Secrets Manager permission,
// or an untrusted task/function carrying secret values, breaks the security model.
//
// Untrusted = tagged trust=untrusted (roles, functions, task definitions, services), plus the roles
// those use (task role, Lambda role) and the task definitions untrusted services run. Grants are
// collected from every place IAM can attach them: inline role policies, aws.iam.RolePolicy,
// managed policies (managedPolicyArns, RolePolicyAttachment, PolicyAttachment), in-stack
// aws.iam.Policy documents. A stack policy, since those are separate resources linked by ids that
// are unknown at preview (resolved through property dependencies).

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { DocumentVerdict, awsManagedPolicyName, secretsAccess } from "../lib/iam";
import { show, subjectOf } from "../lib/messages";
import { asArray, asRecord, asString, isRecord, tagValue } from "../lib/resources";
import { SecretPath, secretPathsOf } from "../lib/secrets";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { UNKNOWN_STRING, UnknownTracker, UnknownValueError, assertKnown, isUnknownSentinel, peekElements } from "../lib/unknowns";

export const UNTRUSTED_COMPUTE_NO_SECRETS = "untrusted-compute-no-secrets";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
const IAM_POLICY = "aws:iam/policy:Policy";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ECS_SERVICE = "aws:ecs/service:Service";
const LAMBDA = "aws:lambda/function:Function";
const SECRET_TYPES = ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion"];

export const UNTRUSTED = "untrusted";

export const DEFAULT_SECRETS_MANAGED_POLICIES: readonly string[] = ["SecretsManagerReadWrite", "AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess"];

interface SecretsConfig {
    /** AWS-managed policy names that include Secrets Manager actions. */
    readonly secretsManagedPolicies: readonly string[];
}

type Ctx = StackContext<SecretsConfig>;

const SECRETS_ARN = /^arn:aws[a-z-]*:secretsmanager:/;

function rule(ctx: Ctx): string {
    return `untrusted compute (tag ${ctx.cfg.tagKeys.trust}=${UNTRUSTED}) must have no Secrets Manager access and no secret values; platform secrets are injected into platform tasks only`;
}

function isUntrusted(r: PolicyResource, ctx: Ctx): boolean {
    return tagValue(r, ctx.cfg.tagKeys.trust) === UNTRUSTED;
}

/** Why a role is untrusted, for messages: its own tag, or the untrusted compute that uses it. */
type Untrusted = Map<PolicyResource, string>;

function collectUntrusted(ctx: Ctx): { roles: Untrusted; tasks: Untrusted; functions: Untrusted } {
    const roles: Untrusted = new Map();
    const tasks: Untrusted = new Map();
    const functions: Untrusted = new Map();
    const tagOf = (r: PolicyResource): boolean => {
        let tagged = false;
        ctx.each(r, () => {
            tagged = isUntrusted(r, ctx);
        });
        return tagged;
    };
    for (const role of ctx.index.ofType(ROLE)) {
        if (tagOf(role)) {
            roles.set(role, "it is tagged untrusted");
        }
    }
    for (const svc of ctx.index.ofType(ECS_SERVICE)) {
        if (tagOf(svc)) {
            for (const td of ctx.index.references(svc, "taskDefinition", [TASK_DEFINITION], knownStringsAt(svc.props, ["taskDefinition"]))) {
                tasks.set(td, `it runs untrusted ${subjectOf(svc)}`);
            }
        }
    }
    for (const td of ctx.index.ofType(TASK_DEFINITION)) {
        if (tagOf(td) && !tasks.has(td)) {
            tasks.set(td, "it is tagged untrusted");
        }
    }
    for (const [td] of tasks) {
        for (const role of ctx.index.references(td, "taskRoleArn", [ROLE], knownStringsAt(td.props, ["taskRoleArn"]))) {
            if (!roles.has(role)) {
                roles.set(role, `it is the task role of untrusted ${subjectOf(td)}`);
            }
        }
    }
    for (const fn of ctx.index.ofType(LAMBDA)) {
        if (tagOf(fn)) {
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

function reportGrant(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, finding: string, fix: string): void {
    ctx.report(on, {
        subject: on === role ? subjectOf(role) : `${subjectOf(on)} on ${subjectOf(role)}`,
        finding: `${finding} (${subjectOf(role)} is untrusted: ${why})`,
        rule: rule(ctx),
        fix,
    });
}

function checkDocument(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, doc: unknown, property: string): void {
    const result = secretsAccess(doc, property);
    if (result.verdict === DocumentVerdict.Grants) {
        reportGrant(ctx, role, why, on, `grants Secrets Manager access: ${result.detail}`, "Remove the secretsmanager actions (and wildcards covering them) from this policy");
    } else if (result.verdict === DocumentVerdict.Unreadable) {
        reportGrant(ctx, role, why, on, `has a policy that cannot be verified: ${result.detail}`, "Give the policy as a valid JSON policy document");
    }
}

function checkManagedArn(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, arn: string): void {
    const name = awsManagedPolicyName(arn);
    if (name !== undefined) {
        if (ctx.cfg.secretsManagedPolicies.includes(name)) {
            reportGrant(ctx, role, why, on, `attaches AWS managed policy ${arn}, which includes Secrets Manager actions`, `Detach ${name}; grant only the data and queue actions the job needs`);
        }
        return;
    }
    ctx.advise(on, `${subjectOf(on)} attaches customer managed policy ${arn} to untrusted ${subjectOf(role)}; it is outside this stack, so it cannot be shown to grant no Secrets Manager access`);
}

/** A policy ARN input: an in-stack aws.iam.Policy (resolved by dependency or ARN), or an ARN string. */
function checkPolicyArn(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource, property: string): void {
    const known = knownStringsAt(on.props, [property]);
    const policies = ctx.index.references(on, property, [IAM_POLICY], known);
    for (const p of policies) {
        ctx.each(on, () => checkDocument(ctx, role, why, on, p.props["policy"], `${p.name}.policy`));
    }
    if (policies.length === 0) {
        const arn = asString(on.props[property]);
        if (arn !== undefined) {
            checkManagedArn(ctx, role, why, on, arn);
        }
    }
}

/** aws.iam.RolePolicyAttachmentsExclusive: a list of policy ARNs, in-stack policies among them. */
function checkPolicyArnList(ctx: Ctx, role: PolicyResource, why: string, on: PolicyResource): void {
    const raw = on.props["policyArns"];
    const known = knownStringsAt(on.props, ["policyArns"]);
    const policies = ctx.index.references(on, "policyArns", [IAM_POLICY], known);
    for (const p of policies) {
        checkDocument(ctx, role, why, on, p.props["policy"], `${p.name}.policy`);
    }
    const inStackArns = new Set(policies.flatMap((p) => knownStringsAt(p.props, ["arn"])));
    for (const arn of known.filter((a) => !inStackArns.has(a))) {
        checkManagedArn(ctx, role, why, on, arn);
    }
    if (policies.length === 0 && peekElements(raw).some(isUnknownSentinel)) {
        throw new UnknownValueError(UNKNOWN_STRING, ["policyArns"]);
    }
}

function checkRole(ctx: Ctx, role: PolicyResource, why: string): void {
    ctx.each(role, () => {
        const unknowns = new UnknownTracker();
        unknowns.check(() => {
            asArray(role.props["inlinePolicies"]).forEach((p, i) => {
                unknowns.check(() => {
                    const ip = asRecord(p);
                    if (ip !== undefined && ip["policy"] !== undefined && ip["policy"] !== null && ip["policy"] !== "") {
                        checkDocument(ctx, role, why, role, ip["policy"], `inlinePolicies[${i}].policy`);
                    }
                });
            });
        });
        unknowns.check(() => {
            for (const arn of asArray(role.props["managedPolicyArns"])) {
                unknowns.check(() => {
                    if (typeof arn === "string") {
                        checkManagedArn(ctx, role, why, role, arn);
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

/** Where the program's secret values sit under `property` (paths below it, [] for the whole value). */
function secretsUnder(r: PolicyResource, property: string): SecretPath[] {
    return secretPathsOf(r)
        .filter((p) => p[0] === property)
        .map((p) => p.slice(1));
}

const SECRET_VALUE = "a secret value (marked secret by the program: pulumi.secret, a secret resource output or a secret config value)";
const SECRET_VALUE_FIX = "Remove it; untrusted code must never receive secret values (give it a scoped, short-lived token instead)";

function checkContainerSecrets(ctx: Ctx, td: PolicyResource, why: string): void {
    ctx.each(td, () => {
        const fromSecrets = ctx.index.references(td, "containerDefinitions", SECRET_TYPES);
        if (fromSecrets.length > 0) {
            ctx.report(td, {
                finding: `has containerDefinitions built from ${fromSecrets.map(subjectOf).join(", ")} (${subjectOf(td)} is untrusted: ${why})`,
                rule: rule(ctx),
                fix: "Remove the secret values from the container definitions",
            });
        }
        // The definitions are one JSON string, so a secret inside makes the whole string secret: the
        // variable cannot be told apart, and no value of it may be shown in any message.
        const secret = secretsUnder(td, "containerDefinitions").length > 0;
        if (secret) {
            ctx.report(td, {
                finding: `has containerDefinitions that embed ${SECRET_VALUE} (${subjectOf(td)} is untrusted: ${why})`,
                rule: rule(ctx),
                fix: SECRET_VALUE_FIX,
            });
        }
        const text = td.props["containerDefinitions"];
        if (typeof text !== "string") {
            return;
        }
        assertKnown(text, ["containerDefinitions"]);
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            // Unparseable definitions are ecs-task-hardening's finding; nothing to read secrets from.
            return;
        }
        const unknowns = new UnknownTracker();
        asArray(parsed).forEach((c, i) => {
            unknowns.check(() => {
                if (!isRecord(c)) {
                    return;
                }
                const label = typeof c["name"] === "string" ? `container '${c["name"]}'` : `containerDefinitions[${i}]`;
                const secrets = c["secrets"];
                assertKnown(secrets, ["containerDefinitions", String(i), "secrets"]);
                if (Array.isArray(secrets) && secrets.length > 0) {
                    const names = secrets.map((s) => asString(asRecord(s)?.["name"]) ?? "?");
                    ctx.report(td, {
                        finding: `injects secrets ${names.join(", ")} into ${label} (${subjectOf(td)} is untrusted: ${why})`,
                        rule: rule(ctx),
                        fix: `Remove the secrets from ${label}; untrusted jobs get short-lived scoped tokens, never platform secrets`,
                    });
                }
                asArray(c["environment"]).forEach((e, j) => {
                    const value = asRecord(e)?.["value"];
                    assertKnown(value, ["containerDefinitions", String(i), "environment", String(j), "value"]);
                    if (!secret && typeof value === "string" && SECRETS_ARN.test(value)) {
                        ctx.report(td, {
                            finding: `passes Secrets Manager ARN ${value} to ${label} in ${show(asRecord(e)?.["name"])} (${subjectOf(td)} is untrusted: ${why})`,
                            rule: rule(ctx),
                            fix: `Remove the variable; untrusted code must not learn or fetch secrets`,
                        });
                    }
                });
            });
        });
        unknowns.rethrow();
    });
}

function checkFunctionEnvironment(ctx: Ctx, fn: PolicyResource, why: string): void {
    ctx.each(fn, () => {
        const fromSecrets = ctx.index.references(fn, "environment", SECRET_TYPES);
        if (fromSecrets.length > 0) {
            ctx.report(fn, {
                finding: `has environment variables built from ${fromSecrets.map(subjectOf).join(", ")} (${why})`,
                rule: rule(ctx),
                fix: "Remove the secret values from the function's environment",
            });
        }
        const secretPaths = secretsUnder(fn, "environment");
        const wholeMap = secretPaths.some((p) => p.length < 2);
        const secretVars = new Set(secretPaths.filter((p) => p.length >= 2 && p[0] === "variables").map((p) => p[1]));
        if (wholeMap) {
            ctx.report(fn, { finding: `has an environment whose variables are ${SECRET_VALUE} (${why})`, rule: rule(ctx), fix: SECRET_VALUE_FIX });
        }
        for (const name of secretVars) {
            ctx.report(fn, { finding: `has environment variable ${name} holding ${SECRET_VALUE} (${why})`, rule: rule(ctx), fix: `${SECRET_VALUE_FIX.replace("Remove it", `Remove ${name}`)}` });
        }
        const vars = asRecord(asRecord(fn.props["environment"])?.["variables"]);
        const unknowns = new UnknownTracker();
        for (const key of Object.keys(vars ?? {})) {
            unknowns.check(() => {
                if (wholeMap || secretVars.has(key)) {
                    return;
                }
                const value = vars?.[key];
                if (typeof value === "string" && SECRETS_ARN.test(value)) {
                    ctx.report(fn, {
                        finding: `passes Secrets Manager ARN ${value} in environment variable ${key} (${why})`,
                        rule: rule(ctx),
                        fix: "Remove the variable; untrusted code must not learn or fetch secrets",
                    });
                }
            });
        }
        unknowns.rethrow();
    });
}

function readSecretsConfig(r: ConfigReader): SecretsConfig {
    return { secretsManagedPolicies: r.stringArray("secretsManagedPolicies", DEFAULT_SECRETS_MANAGED_POLICIES) };
}

export const untrustedComputeNoSecrets: StackValidationPolicy = {
    name: UNTRUSTED_COMPUTE_NO_SECRETS,
    description:
        "Forbids Secrets Manager access (inline, attached, exclusive-attached or managed policies) and secret values (ECS secrets, Lambda environment) for untrusted roles, task definitions, services and functions.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["tagKeys", "exemptions"], {
        secretsManagedPolicies: {
            type: "array",
            description: "Names of AWS managed policies that include Secrets Manager actions.",
            items: { type: "string", minLength: 1 },
            default: [...DEFAULT_SECRETS_MANAGED_POLICIES],
        },
    }),
    validateStack: checkedStack(
        UNTRUSTED_COMPUTE_NO_SECRETS,
        (ctx) => {
            const { roles, tasks, functions } = collectUntrusted(ctx);
            for (const [role, why] of roles) {
                checkRole(ctx, role, why);
            }
            for (const rp of ctx.index.ofType(ROLE_POLICY)) {
                for (const role of targets(ctx, rp, "role", roles)) {
                    ctx.each(rp, () => checkDocument(ctx, role, roles.get(role) ?? "", rp, rp.props["policy"], "policy"));
                }
            }
            for (const att of ctx.index.ofType(ROLE_POLICY_ATTACHMENT)) {
                for (const role of targets(ctx, att, "role", roles)) {
                    ctx.each(att, () => checkPolicyArn(ctx, role, roles.get(role) ?? "", att, "policyArn"));
                }
            }
            for (const att of ctx.index.ofType(POLICY_ATTACHMENT)) {
                for (const role of targets(ctx, att, "roles", roles)) {
                    ctx.each(att, () => checkPolicyArn(ctx, role, roles.get(role) ?? "", att, "policyArn"));
                }
            }
            for (const att of ctx.index.ofType(ATTACHMENTS_EXCLUSIVE)) {
                for (const role of targets(ctx, att, "roleName", roles)) {
                    ctx.each(att, () => checkPolicyArnList(ctx, role, roles.get(role) ?? "", att));
                }
            }
            for (const [td, why] of tasks) {
                checkContainerSecrets(ctx, td, why);
            }
            for (const [fn, why] of functions) {
                checkFunctionEnvironment(ctx, fn, why);
            }
        },
        readSecretsConfig,
    ),
};
