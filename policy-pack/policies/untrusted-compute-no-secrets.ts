// untrusted-compute-no-secrets: user code (ECS jobs, UDF Lambdas) must never read secrets. Secrets
// are injected into platform tasks by ECS; an untrusted role with any Secrets Manager permission,
// or an untrusted task/function carrying secret values, breaks the security model.
//
// Which compute is untrusted and which grants reach it: lib/untrusted.ts. A stack policy, since roles,
// policies and attachments are separate resources linked by ids that are unknown at preview.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { DocumentVerdict, awsManagedPolicyName, secretsAccess } from "../lib/iam";
import { show, subjectOf } from "../lib/messages";
import { asArray, asRecord, asString, isRecord } from "../lib/resources";
import { SecretPath, secretPathsOf } from "../lib/secrets";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { UnknownTracker, assertKnown } from "../lib/unknowns";
import { UNTRUSTED, collectUntrusted, judgeUntrustedGrants } from "../lib/untrusted";

export const UNTRUSTED_COMPUTE_NO_SECRETS = "untrusted-compute-no-secrets";

const SECRET_TYPES = ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion"];

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
            judgeUntrustedGrants(ctx, roles, {
                document: (role, why, on, doc, property) => checkDocument(ctx, role, why, on, doc, property),
                managedArn: (role, why, on, arn) => checkManagedArn(ctx, role, why, on, arn),
            });
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
