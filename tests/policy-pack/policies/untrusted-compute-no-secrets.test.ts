import { expect } from "chai";

import { UNTRUSTED_COMPUTE_NO_SECRETS, untrustedComputeNoSecrets } from "../../../policy-pack/policies/untrusted-compute-no-secrets";
import { HarnessResource, RunOptions, runStackPolicy, secret, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const LAMBDA = "aws:lambda/function:Function";

const RULE =
    "untrusted compute (tag trace:trust=untrusted) must have no Secrets Manager access and no secret values; platform secrets are injected into platform tasks only";
const DOC_FIX = "Remove the secretsmanager actions (and wildcards covering them) from this policy.";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (action: unknown, resource: unknown = "*") => ({ Effect: "Allow", Action: action, Resource: resource });
const untrusted = { "trace:trust": "untrusted" };

const jobRole = (inline: unknown[] = [], extra: Record<string, unknown> = {}) =>
    res(ROLE, "job-task-role", { name: "job-task-role", assumeRolePolicy: "{}", tags: untrusted, inlinePolicies: inline, ...extra });
const platformExec = res(ROLE, "platform-exec", {
    tags: { "trace:trust": "platform" },
    inlinePolicies: [{ name: "secrets", policy: doc(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:/dev/trace/*")) }],
});
const udfRole = res(ROLE, "udf-role", { assumeRolePolicy: "{}" });
const svcRole = res(ROLE, "svc-role", { assumeRolePolicy: "{}" });
const container = (extra: Record<string, unknown> = {}) => ({ name: "job", image: "x@sha256:1", readonlyRootFilesystem: true, ...extra });
const jobTd = (containers: unknown[] = [container()]) =>
    res(TD, "job-td", { family: "job", tags: untrusted, taskRoleArn: U, containerDefinitions: JSON.stringify(containers) }, { taskRoleArn: [urnOf(ROLE, "job-task-role")] });
const svcTd = (containers: unknown[] = [container()]) =>
    res(TD, "svc-td", { family: "svc", taskRoleArn: U, containerDefinitions: JSON.stringify(containers) }, { taskRoleArn: [urnOf(ROLE, "svc-role")] });
const jobsSvc = res("aws:ecs/service:Service", "jobs-svc", { tags: untrusted, taskDefinition: U }, { taskDefinition: [urnOf(TD, "svc-td")] });
const udf = (extra: Record<string, unknown> = {}, deps: Record<string, string[]> = {}) =>
    res(LAMBDA, "udf", { tags: untrusted, role: U, ...extra }, { role: [urnOf(ROLE, "udf-role")], ...deps });
const rolePolicy = (name: string, role: string, policy: unknown) => res(ROLE_POLICY, name, { role: U, policy }, { role: [urnOf(ROLE, role)] });
const attach = (name: string, role: string, policyArn: unknown, policyDeps: string[] = []) =>
    res(ATTACH, name, { role: U, policyArn }, { role: [urnOf(ROLE, role)], policyArn: policyDeps });

const baseline: HarnessResource[] = [
    jobRole([{ name: "data", policy: doc(allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::trace-data/*"), { Effect: "Deny", Action: "secretsmanager:*", Resource: "*" }) }]),
    platformExec,
    udfRole,
    svcRole,
    jobTd(),
    svcTd(),
    jobsSvc,
    udf(),
    rolePolicy("job-queues", "job-task-role", doc(allow("sqs:SendMessage"))),
    rolePolicy("platform-secrets", "platform-exec", doc(allow("secretsmanager:*"))),
    attach("job-s3-read", "job-task-role", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
    attach("exec-ecs", "platform-exec", "arn:aws:iam::aws:policy/SecretsManagerReadWrite"),
];

function replace(...rs: HarnessResource[]): HarnessResource[] {
    const out = baseline.filter((b) => !rs.some((r) => r.type === b.type && r.name === b.name));
    return [...out, ...rs];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(untrustedComputeNoSecrets, resources, opts));
}

describe("untrusted-compute-no-secrets", () => {
    it("passes the baseline: untrusted roles with data-only grants, platform roles with secrets", async () => {
        const out = await runStackPolicy(untrustedComputeNoSecrets, baseline);
        expect(out.diagnostics).to.deep.equal([]);
    });

    it("reports an inline policy of a role tagged untrusted that allows GetSecretValue", async () => {
        const out = await run(replace(jobRole([{ name: "oops", policy: doc(allow("secretsmanager:GetSecretValue")) }])));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(ROLE, "job-task-role"),
                `IAM role 'job-task-role' grants Secrets Manager access: Statement[0] allows secretsmanager:GetSecretValue (IAM role 'job-task-role' is untrusted: it is tagged untrusted); ${RULE}. ${DOC_FIX}`,
            ],
        ]);
    });

    it("reports an aws.iam.RolePolicy with secretsmanager:* on the role of an untrusted Lambda", async () => {
        const out = await run([...baseline, rolePolicy("udf-extra", "udf-role", doc(allow(["logs:*", "secretsmanager:*"])))]);
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(ROLE_POLICY, "udf-extra"),
                `IAM role policy 'udf-extra' on IAM role 'udf-role' grants Secrets Manager access: Statement[0] allows secretsmanager:* (IAM role 'udf-role' is untrusted: it is the role of untrusted Lambda function 'udf'); ${RULE}. ${DOC_FIX}`,
            ],
        ]);
    });

    it("reports Action \"*\" and NotAction that leaves Secrets Manager in, in any statement", async () => {
        const out = await run([
            ...baseline,
            rolePolicy("star", "job-task-role", doc(allow("sqs:*"), allow("*"))),
            rolePolicy("not-action", "svc-role", doc({ Effect: "Allow", NotAction: ["iam:*", "sts:*"], Resource: "*" })),
        ]);
        expect(out.map((f) => f[2].split(" (IAM role")[0])).to.deep.equal([
            "IAM role policy 'star' on IAM role 'job-task-role' grants Secrets Manager access: Statement[1] allows *",
            "IAM role policy 'not-action' on IAM role 'svc-role' grants Secrets Manager access: Statement[0] allows everything except iam:*, sts:*, including secretsmanager:BatchGetSecretValue",
        ]);
        expect(out[1][2]).to.contain("(IAM role 'svc-role' is untrusted: it is the task role of untrusted ECS task definition 'svc-td')");
    });

    it("reports AWS managed policies with Secrets Manager actions, attached or listed on the role", async () => {
        const out = await run([
            ...replace(jobRole([], { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })),
            attach("job-sm", "job-task-role", "arn:aws:iam::aws:policy/SecretsManagerReadWrite"),
            res("aws:iam/policyAttachment:PolicyAttachment", "poweruser", { roles: [U], policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, { roles: [urnOf(ROLE, "udf-role")] }),
        ]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
            [
                "mandatory",
                urnOf(ROLE, "job-task-role"),
                "IAM role 'job-task-role' attaches AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess, which includes Secrets Manager actions (IAM role 'job-task-role' is untrusted: it is tagged untrusted)",
            ],
            [
                "mandatory",
                urnOf(ATTACH, "job-sm"),
                "IAM role policy attachment 'job-sm' on IAM role 'job-task-role' attaches AWS managed policy arn:aws:iam::aws:policy/SecretsManagerReadWrite, which includes Secrets Manager actions (IAM role 'job-task-role' is untrusted: it is tagged untrusted)",
            ],
            [
                "mandatory",
                urnOf("aws:iam/policyAttachment:PolicyAttachment", "poweruser"),
                "IAM policy attachment 'poweruser' on IAM role 'udf-role' attaches AWS managed policy arn:aws:iam::aws:policy/PowerUserAccess, which includes Secrets Manager actions (IAM role 'udf-role' is untrusted: it is the role of untrusted Lambda function 'udf')",
            ],
        ]);
        expect(out[1][2].endsWith("Detach SecretsManagerReadWrite; grant only the data and queue actions the job needs.")).to.equal(true);
    });

    it("reads the document of an in-stack customer managed policy attached while its ARN is unknown", async () => {
        const policy = res("aws:iam/policy:Policy", "broad", { policy: doc(allow("secretsmanager:Get*")) });
        const out = await run([...baseline, policy, attach("job-broad", "job-task-role", U, [urnOf(policy.type, "broad")])]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(" (IAM role")[0]])).to.deep.equal([
            ["mandatory", urnOf(ATTACH, "job-broad"), "IAM role policy attachment 'job-broad' on IAM role 'job-task-role' grants Secrets Manager access: Statement[0] allows secretsmanager:Get*"],
        ]);
    });

    it("checks every ARN of aws.iam.RolePolicyAttachmentsExclusive, in-stack policies by their document", async () => {
        const policy = res("aws:iam/policy:Policy", "wide", { policy: doc(allow("*")) });
        const excl = res(
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "job-only",
            { roleName: U, policyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/SecretsManagerReadWrite", U] },
            { roleName: [urnOf(ROLE, "job-task-role")], policyArns: [urnOf(policy.type, "wide")] },
        );
        const out = await run([...baseline, policy, excl]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(" (IAM role")[0]])).to.deep.equal([
            ["mandatory", urnOf(excl.type, "job-only"), "IAM policy attachment set 'job-only' on IAM role 'job-task-role' grants Secrets Manager access: Statement[0] allows *"],
            [
                "mandatory",
                urnOf(excl.type, "job-only"),
                "IAM policy attachment set 'job-only' on IAM role 'job-task-role' attaches AWS managed policy arn:aws:iam::aws:policy/SecretsManagerReadWrite, which includes Secrets Manager actions",
            ],
        ]);
    });

    it("cannot verify a customer managed policy outside the stack: advisory", async () => {
        const out = await run([...baseline, attach("job-ext", "job-task-role", "arn:aws:iam::123456789012:policy/team-data")]);
        expect(out).to.deep.equal([
            [
                "advisory",
                urnOf(ATTACH, "job-ext"),
                "IAM role policy attachment 'job-ext' attaches customer managed policy arn:aws:iam::123456789012:policy/team-data to untrusted IAM role 'job-task-role'; it is outside this stack, so it cannot be shown to grant no Secrets Manager access",
            ],
        ]);
    });

    it("reports secrets injected into an untrusted task definition, directly tagged or run by an untrusted service", async () => {
        const secrets = [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:1:secret:/dev/trace/x" }];
        const out = await run(replace(jobTd([container({ secrets })]), svcTd([container({ name: "svc", secrets: [{ name: "TOKEN", valueFrom: "x" }] })])));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(TD, "svc-td"),
                `ECS task definition 'svc-td' injects secrets TOKEN into container 'svc' (ECS task definition 'svc-td' is untrusted: it runs untrusted ECS service 'jobs-svc'); ${RULE}. Remove the secrets from container 'svc'; untrusted jobs get short-lived scoped tokens, never platform secrets.`,
            ],
            [
                "mandatory",
                urnOf(TD, "job-td"),
                `ECS task definition 'job-td' injects secrets DB_PASSWORD into container 'job' (ECS task definition 'job-td' is untrusted: it is tagged untrusted); ${RULE}. Remove the secrets from container 'job'; untrusted jobs get short-lived scoped tokens, never platform secrets.`,
            ],
        ]);
    });

    it("reports a Secrets Manager ARN passed to an untrusted container", async () => {
        const env = [{ name: "SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:1:secret:/dev/trace/x" }];
        const out = await run(replace(jobTd([container({ environment: env })])));
        expect(out.map((f) => f[2].split(";")[0])).to.deep.equal([
            "ECS task definition 'job-td' passes Secrets Manager ARN arn:aws:secretsmanager:eu-west-1:1:secret:/dev/trace/x to container 'job' in SECRET_ARN (ECS task definition 'job-td' is untrusted: it is tagged untrusted)",
        ]);
    });

    it("reports an untrusted Lambda whose environment is built from a secret, or names a secret's ARN", async () => {
        const version = res("aws:secretsmanager/secretVersion:SecretVersion", "api-key", { secretId: U, secretString: "x" });
        const fromSecret = await run([...replace(udf({ environment: { variables: { API_KEY: U } } }, { environment: [urnOf(version.type, "api-key")] })), version]);
        const byArn = await run(replace(udf({ environment: { variables: { TOKEN_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:t" } } })));
        expect(fromSecret.map((f) => [f[0], f[2].split(";")[0]])).to.deep.equal([
            ["mandatory", "Lambda function 'udf' has environment variables built from secret version 'api-key' (it is tagged untrusted)"],
            ["advisory", "can't fully check Lambda function 'udf' during preview: string value at .environment.variables.API_KEY can't be known during preview"],
        ]);
        expect(byArn.map((f) => f[2].split(";")[0])).to.deep.equal([
            "Lambda function 'udf' passes Secrets Manager ARN arn:aws:secretsmanager:eu-west-1:1:secret:t in environment variable TOKEN_ARN (it is tagged untrusted)",
        ]);
    });

    it("resolves a role policy by the role's name in plan mode", async () => {
        const rp = res(ROLE_POLICY, "by-name", { role: "job-task-role", policy: doc(allow("secretsmanager:ListSecrets")) });
        const out = await run([...baseline, rp]);
        expect(out.map(([, urn]) => urn)).to.deep.equal([urnOf(ROLE_POLICY, "by-name")]);
    });

    it("defers a policy document unknown at preview to an advisory, and still reports the definite grant elsewhere", async () => {
        const out = await run([...baseline, rolePolicy("later", "job-task-role", U), rolePolicy("now", "job-task-role", doc(allow("secretsmanager:PutSecretValue")))]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(" (IAM role")[0]])).to.deep.equal([
            [
                "advisory",
                urnOf(ROLE_POLICY, "later"),
                "can't fully check IAM role policy 'later' during preview: string value at .policy can't be known during preview; it is checked again when the value is known",
            ],
            ["mandatory", urnOf(ROLE_POLICY, "now"), "IAM role policy 'now' on IAM role 'job-task-role' grants Secrets Manager access: Statement[0] allows secretsmanager:PutSecretValue"],
        ]);
    });

    it("reports a policy document it cannot read instead of passing it", async () => {
        const out = await run([...baseline, rolePolicy("garbled", "job-task-role", "{not json")]);
        expect(out.map((f) => f[2].split(" (IAM role")[0])).to.deep.equal([
            `IAM role policy 'garbled' on IAM role 'job-task-role' has a policy that cannot be verified: policy is not valid JSON (${(() => {
                try {
                    JSON.parse("{not json");
                } catch (e) {
                    return (e as Error).message;
                }
                return "";
            })()})`,
        ]);
    });

    it("uses the configured trust tag key", async () => {
        const out = await run(replace(jobRole([{ name: "x", policy: doc(allow("secretsmanager:*")) }], { tags: { "team:trust": "untrusted" } })), { config: { tagKeys: { trust: "team:trust" } } });
        expect(out.map(([, urn]) => urn)).to.deep.equal([urnOf(ROLE, "job-task-role")]);
        expect(out[0][2]).to.contain("(tag team:trust=untrusted)");
    });

    it("names the policy", async () => {
        const out = await runStackPolicy(untrustedComputeNoSecrets, [...baseline, rolePolicy("p", "job-task-role", doc(allow("secretsmanager:*")))]);
        expect(out.diagnostics.map((d) => d.policyName)).to.deep.equal([UNTRUSTED_COMPUTE_NO_SECRETS]);
    });

    describe("secret values", () => {
        const SECRET_VALUE = "a secret value (marked secret by the program: pulumi.secret, a secret resource output or a secret config value)";
        const FIX = "untrusted code must never receive secret values (give it a scoped, short-lived token instead).";
        const PLAINTEXT = "hunter2-plaintext";

        for (const plan of [false, true]) {
            const value = plan ? PLAINTEXT : U;
            it(`${plan ? "plan" : "preview"}: reports an untrusted Lambda environment variable holding a secret, by name, never its value`, async () => {
                const out = await run(replace(udf({ environment: { variables: { REGION: "eu-west-1", API_KEY: secret(value) } } })));
                expect(out).to.deep.equal([
                    ["mandatory", urnOf(LAMBDA, "udf"), `Lambda function 'udf' has environment variable API_KEY holding ${SECRET_VALUE} (it is tagged untrusted); ${RULE}. Remove API_KEY; ${FIX}`],
                ]);
                expect(JSON.stringify(out)).to.not.contain(PLAINTEXT);
            });

            it(`${plan ? "plan" : "preview"}: reports untrusted container definitions that embed a secret, never its value`, async () => {
                const defs = plan ? JSON.stringify([container({ environment: [{ name: "TOKEN", value: PLAINTEXT }] })]) : U;
                const td = res(TD, "job-td", { family: "job", tags: untrusted, taskRoleArn: U, containerDefinitions: secret(defs) }, { taskRoleArn: [urnOf(ROLE, "job-task-role")] });
                const out = await run(replace(td));
                expect(out).to.deep.equal([
                    [
                        "mandatory",
                        urnOf(TD, "job-td"),
                        `ECS task definition 'job-td' has containerDefinitions that embed ${SECRET_VALUE} (ECS task definition 'job-td' is untrusted: it is tagged untrusted); ${RULE}. Remove it; ${FIX}`,
                    ],
                    // At preview the rest of the definitions (injected secrets, ARNs) is still to be checked.
                    ...(plan
                        ? []
                        : [["advisory", urnOf(TD, "job-td"), "can't fully check ECS task definition 'job-td' during preview: string value at .containerDefinitions can't be known during preview; it is checked again when the value is known"]]),
                ]);
                expect(JSON.stringify(out)).to.not.contain(PLAINTEXT);
            });
        }

        it("reports a whole secret environment map, and shows no Secrets Manager ARN that is itself secret", async () => {
            const whole = await run(replace(udf({ environment: { variables: secret({ A: PLAINTEXT }) } })));
            const arn = await run(replace(udf({ environment: { variables: { TOKEN_ARN: secret("arn:aws:secretsmanager:eu-west-1:1:secret:hidden") } } })));
            expect(whole.map((f) => f[2].split(";")[0])).to.deep.equal([`Lambda function 'udf' has an environment whose variables are ${SECRET_VALUE} (it is tagged untrusted)`]);
            expect(arn.map((f) => f[2].split(";")[0])).to.deep.equal([`Lambda function 'udf' has environment variable TOKEN_ARN holding ${SECRET_VALUE} (it is tagged untrusted)`]);
            expect(JSON.stringify([whole, arn])).to.not.match(/hunter2|hidden/);
        });

        it("reports untrusted container definitions built from a SecretVersion", async () => {
            const version = res("aws:secretsmanager/secretVersion:SecretVersion", "api-key", { secretId: U, secretString: secret(PLAINTEXT) });
            const td = res(TD, "job-td", { family: "job", tags: untrusted, taskRoleArn: U, containerDefinitions: U }, { taskRoleArn: [urnOf(ROLE, "job-task-role")], containerDefinitions: [urnOf(version.type, "api-key")] });
            const out = await run([...replace(td), version]);
            expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
                ["mandatory", urnOf(TD, "job-td"), "ECS task definition 'job-td' has containerDefinitions built from secret version 'api-key' (ECS task definition 'job-td' is untrusted: it is tagged untrusted)"],
                ["advisory", urnOf(TD, "job-td"), "can't fully check ECS task definition 'job-td' during preview: string value at .containerDefinitions can't be known during preview"],
            ]);
        });

        it("leaves secret values of platform compute alone", async () => {
            const platformFn = res(LAMBDA, "ops", { tags: { "trace:trust": "platform" }, role: U, environment: { variables: { DB_PASSWORD: secret(PLAINTEXT) } } });
            expect(await run([...baseline, platformFn])).to.deep.equal([]);
        });
    });
});
