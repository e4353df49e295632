import { expect } from "chai";

import { actionAccess, ROLE_ASSUMPTION_ACTIONS } from "../../../policy-pack/lib/iam";
import { AWS_MANAGED_POLICIES } from "../../../policy-pack/lib/managed-policies";
import { UNTRUSTED_COMPUTE_NO_ROLE_ASSUMPTION, untrustedComputeNoRoleAssumption } from "../../../policy-pack/policies/untrusted-compute-no-role-assumption";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
const IAM_POLICY = "aws:iam/policy:Policy";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const LAMBDA = "aws:lambda/function:Function";

const RULE =
    "untrusted compute (tag trace:trust=untrusted) must not be able to assume IAM roles (sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity); its role holds only the scoped permissions the job needs";
const FIX = "Remove the sts:AssumeRole* actions (and the wildcards or NotAction that cover them) from this policy.";
const ACCOUNT = "arn:aws:iam::123456789012";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (action: unknown) => ({ Effect: "Allow", Action: action, Resource: "*" });
const untrusted = { "trace:trust": "untrusted" };
const roleArn = (name: string) => `${ACCOUNT}:role/${name}`;

/**
 * Preview: links by property dependencies, ids and ARNs unknown. Plan: links by known ARNs and names.
 * An untrusted job role (tagged), the task role of an untrusted task definition, the role of an
 * untrusted UDF function, and a platform role that may assume roles.
 */
function stack(plan: boolean) {
    const known = <T>(v: T) => (plan ? v : U);
    const deps = (d: Record<string, string[]>) => (plan ? {} : d);
    const role = (name: string, extra: Record<string, unknown> = {}) => res(ROLE, name, { name, arn: known(roleArn(name)), assumeRolePolicy: "{}", ...extra });
    const onRole = (property: string, name: string, value: unknown = name) => ({ props: { [property]: plan ? value : U }, deps: deps({ [property]: [urnOf(ROLE, name)] }) });
    const rolePolicy = (name: string, target: string, policy: string) => {
        const link = onRole("role", target);
        return res(ROLE_POLICY, name, { ...link.props, policy }, link.deps);
    };
    const attach = (name: string, target: string, policyArn: string) => {
        const link = onRole("role", target);
        return res(ATTACH, name, { ...link.props, policyArn }, link.deps);
    };
    return {
        known,
        deps,
        role,
        rolePolicy,
        attach,
        onRole,
        baseline: [
            role("job-role", { tags: untrusted, inlinePolicies: [{ name: "data", policy: doc(allow(["s3:GetObject", "s3:PutObject"]), { Effect: "Deny", Action: "sts:*", Resource: "*" }) }] }),
            role("task-role"),
            role("udf-role"),
            role("platform-role", { tags: { "trace:trust": "platform" }, inlinePolicies: [{ name: "assume", policy: doc(allow("sts:AssumeRole")) }] }),
            res(TD, "job-td", { family: "job", tags: untrusted, taskRoleArn: known(roleArn("task-role")) }, deps({ taskRoleArn: [urnOf(ROLE, "task-role")] })),
            res(LAMBDA, "udf", { tags: untrusted, role: known(roleArn("udf-role")) }, deps({ role: [urnOf(ROLE, "udf-role")] })),
            rolePolicy("job-queues", "job-role", doc(allow("sqs:SendMessage"))),
            rolePolicy("platform-assume", "platform-role", doc(allow("sts:*"))),
            attach("udf-vpc", "udf-role", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"),
            attach("task-logs", "task-role", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            attach("platform-admin", "platform-role", "arn:aws:iam::aws:policy/AdministratorAccess"),
        ],
    };
}

function replace(base: HarnessResource[], ...rs: HarnessResource[]): HarnessResource[] {
    return [...base.filter((b) => !rs.some((r) => r.type === b.type && r.name === b.name)), ...rs];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(untrustedComputeNoRoleAssumption, resources, opts));
}

const why = {
    job: "IAM role 'job-role' is untrusted: it is tagged untrusted",
    task: "IAM role 'task-role' is untrusted: it is the task role of untrusted ECS task definition 'job-td'",
    udf: "IAM role 'udf-role' is untrusted: it is the role of untrusted Lambda function 'udf'",
};

describe("untrusted-compute-no-role-assumption", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        const s = stack(plan);

        it(`${mode}: passes untrusted roles with data-only grants and AWS managed policies that grant no role assumption; platform roles may assume roles`, async () => {
            expect(await run(s.baseline)).to.deep.equal([]);
        });

        it(`${mode}: reports sts:AssumeRole by name in an inline policy of a role tagged untrusted`, async () => {
            const out = await run(replace(s.baseline, s.role("job-role", { tags: untrusted, inlinePolicies: [{ name: "hop", policy: doc(allow("sts:AssumeRole")) }] })));
            expect(out).to.deep.equal([
                ["mandatory", urnOf(ROLE, "job-role"), `IAM role 'job-role' grants role assumption: Statement[0] allows sts:AssumeRole (${why.job}); ${RULE}. ${FIX}`],
            ]);
        });

        it(`${mode}: reports wildcards (sts:*, sts:Assume*, *) and the SAML and web-identity variants in role policies`, async () => {
            const out = await run([
                ...s.baseline,
                s.rolePolicy("sts-star", "task-role", doc(allow("sts:*"))),
                s.rolePolicy("assume-star", "udf-role", doc(allow(["logs:*", "STS:Assume*"]))),
                s.rolePolicy("star", "job-role", doc(allow("sqs:*"), allow("*"))),
                s.rolePolicy("web", "job-role", doc(allow("sts:AssumeRoleWithWebIdentity"))),
                s.rolePolicy("saml", "job-role", doc(allow(["sts:GetCallerIdentity", "sts:AssumeRoleWithSAML"]))),
            ]);
            expect(out).to.deep.equal([
                ["mandatory", urnOf(ROLE_POLICY, "sts-star"), `IAM role policy 'sts-star' on IAM role 'task-role' grants role assumption: Statement[0] allows sts:* (${why.task}); ${RULE}. ${FIX}`],
                ["mandatory", urnOf(ROLE_POLICY, "assume-star"), `IAM role policy 'assume-star' on IAM role 'udf-role' grants role assumption: Statement[0] allows STS:Assume* (${why.udf}); ${RULE}. ${FIX}`],
                ["mandatory", urnOf(ROLE_POLICY, "star"), `IAM role policy 'star' on IAM role 'job-role' grants role assumption: Statement[1] allows * (${why.job}); ${RULE}. ${FIX}`],
                ["mandatory", urnOf(ROLE_POLICY, "web"), `IAM role policy 'web' on IAM role 'job-role' grants role assumption: Statement[0] allows sts:AssumeRoleWithWebIdentity (${why.job}); ${RULE}. ${FIX}`],
                ["mandatory", urnOf(ROLE_POLICY, "saml"), `IAM role policy 'saml' on IAM role 'job-role' grants role assumption: Statement[0] allows sts:AssumeRoleWithSAML (${why.job}); ${RULE}. ${FIX}`],
            ]);
        });

        it(`${mode}: reports a NotAction that leaves the AssumeRole family in, and passes one that excludes sts:*`, async () => {
            const out = await run([
                ...s.baseline,
                s.rolePolicy("not-iam", "task-role", doc({ Effect: "Allow", NotAction: ["iam:*", "sts:AssumeRole"], Resource: "*" })),
                s.rolePolicy("not-sts", "udf-role", doc({ Effect: "Allow", NotAction: ["sts:*"], Resource: "*" })),
            ]);
            expect(out).to.deep.equal([
                [
                    "mandatory",
                    urnOf(ROLE_POLICY, "not-iam"),
                    `IAM role policy 'not-iam' on IAM role 'task-role' grants role assumption: Statement[0] allows everything except iam:*, sts:AssumeRole, including sts:AssumeRoleWithSAML (${why.task}); ${RULE}. ${FIX}`,
                ],
            ]);
        });

        it(`${mode}: judges AWS managed policies by their documents: AdministratorAccess and PowerUserAccess grant it, listed or attached`, async () => {
            const link = s.onRole("roles", "udf-role", ["udf-role"]);
            const exclusive = s.onRole("roleName", "job-role");
            const out = await run([
                ...replace(s.baseline, s.role("task-role", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })),
                res(POLICY_ATTACHMENT, "power", { ...link.props, policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, link.deps),
                res(EXCLUSIVE, "job-set", { ...exclusive.props, policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }, exclusive.deps),
            ]);
            expect(out).to.deep.equal([
                [
                    "mandatory",
                    urnOf(ROLE, "task-role"),
                    `IAM role 'task-role' attaches AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess, which grants role assumption: Statement[0] allows * (${why.task}); ${RULE}. ${FIX}`,
                ],
                [
                    "mandatory",
                    urnOf(POLICY_ATTACHMENT, "power"),
                    `IAM policy attachment 'power' on IAM role 'udf-role' attaches AWS managed policy arn:aws:iam::aws:policy/PowerUserAccess, which grants role assumption: Statement[0] allows everything except iam:*, organizations:*, account:*, including sts:AssumeRole (${why.udf}); ${RULE}. ${FIX}`,
                ],
                [
                    "mandatory",
                    urnOf(EXCLUSIVE, "job-set"),
                    `IAM policy attachment set 'job-set' on IAM role 'job-role' attaches AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess, which grants role assumption: Statement[0] allows * (${why.job}); ${RULE}. ${FIX}`,
                ],
            ]);
        });

        it(`${mode}: reports AWS managed policies it holds no document for, and customer managed policies outside the stack, as unknown (advisory)`, async () => {
            const out = await run([
                ...s.baseline,
                s.attach("job-readonly", "job-role", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                s.attach("job-custom", "job-role", `${ACCOUNT}:policy/elsewhere`),
            ]);
            const known = Object.keys(AWS_MANAGED_POLICIES).join(", ");
            const tail = "so it is unknown whether it grants role assumption (unknown is not safe). Grant the job's permissions in an in-stack policy, or exempt this resource with the reason it cannot assume roles";
            expect(out).to.deep.equal([
                [
                    "advisory",
                    urnOf(ATTACH, "job-readonly"),
                    `IAM role policy attachment 'job-readonly' on IAM role 'job-role' attaches AWS managed policy arn:aws:iam::aws:policy/ReadOnlyAccess to untrusted IAM role 'job-role'; the pack does not hold its document (it knows ${known}), ${tail}`,
                ],
                [
                    "advisory",
                    urnOf(ATTACH, "job-custom"),
                    `IAM role policy attachment 'job-custom' on IAM role 'job-role' attaches customer managed policy ${ACCOUNT}:policy/elsewhere to untrusted IAM role 'job-role'; it is outside this stack, ${tail}`,
                ],
            ]);
        });

        it(`${mode}: reads in-stack aws.iam.Policy documents attached to untrusted roles`, async () => {
            const policyArn = `${ACCOUNT}:policy/hop`;
            const link = s.onRole("role", "udf-role");
            const out = await run([
                ...s.baseline,
                res(IAM_POLICY, "hop", { arn: s.known(policyArn), policy: doc(allow("sts:AssumeRole")) }),
                res(ATTACH, "udf-hop", { ...link.props, policyArn: s.known(policyArn) }, { ...link.deps, ...s.deps({ policyArn: [urnOf(IAM_POLICY, "hop")] }) }),
            ]);
            expect(out).to.deep.equal([
                ["mandatory", urnOf(ATTACH, "udf-hop"), `IAM role policy attachment 'udf-hop' on IAM role 'udf-role' grants role assumption: Statement[0] allows sts:AssumeRole (${why.udf}); ${RULE}. ${FIX}`],
            ]);
        });
    }

    it("preview: defers (advisory) a role policy whose document is unknown, and reports an unreadable one", async () => {
        const s = stack(false);
        const out = await run([...s.baseline, s.rolePolicy("later", "job-role", U), s.rolePolicy("broken", "job-role", "{not json")]);
        expect(out.map(([level, urn]) => [level, urn])).to.deep.equal([
            ["advisory", urnOf(ROLE_POLICY, "later")],
            ["mandatory", urnOf(ROLE_POLICY, "broken")],
        ]);
        expect(out[0][2]).to.equal("can't fully check IAM role policy 'later' during preview: string value at .policy can't be known during preview; it is checked again when the value is known");
    });

    it("honours exemptions, the team's trust tag key, and rejects unknown config keys", async () => {
        const s = stack(true);
        const bad = [...s.baseline, s.rolePolicy("hop", "job-role", doc(allow("sts:AssumeRole")))];
        expect(await run(bad, { config: { exemptions: [{ resource: "hop", reason: "break-glass role, reviewed" }] } })).to.deep.equal([]);
        const team = bad.map((r) => (r.name === "job-role" ? res(ROLE, "job-role", { ...r.props, tags: { "team:trust": "untrusted" } }) : r));
        expect(await run(team)).to.deep.equal([]);
        expect((await run(team, { config: { tagKeys: { trust: "team:trust" } } })).map((f) => f[1])).to.deep.equal([urnOf(ROLE_POLICY, "hop")]);
        const out = await runStackPolicy(untrustedComputeNoRoleAssumption, s.baseline, { config: { managedPolicies: [] } }).catch((e: Error) => e.message);
        expect(String(out)).to.contain("managedPolicies is not a config key of this policy (its keys: enforcementLevel, tagKeys, exemptions)");
    });

    it("holds documents that agree with what the policies are known to grant", () => {
        const grants = Object.entries(AWS_MANAGED_POLICIES)
            .filter(([name, p]) => actionAccess(p.document, name, ROLE_ASSUMPTION_ACTIONS).detail !== "")
            .map(([name]) => name);
        expect(grants).to.deep.equal(["AdministratorAccess", "PowerUserAccess"]);
        expect(Object.values(AWS_MANAGED_POLICIES).every((p) => p.source.startsWith("https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"))).to.equal(true);
        expect(UNTRUSTED_COMPUTE_NO_ROLE_ASSUMPTION).to.equal(untrustedComputeNoRoleAssumption.name);
    });
});
