import { expect } from "chai";

import { VPC_ENDPOINT_DATA_PERIMETER, vpcEndpointDataPerimeter } from "../../../policy-pack/policies/vpc-endpoint-data-perimeter";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, rejection, stackFindings } from "../support";

const EP = "aws:ec2/vpcEndpoint:VpcEndpoint";
const EP_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
const AWSX_VPC = "awsx:ec2:Vpc";
const ACCOUNT = "123456789012";

const rule = (trusted = "") =>
    `every Allow of a VPC endpoint policy needs an identity perimeter (aws:PrincipalAccount, aws:PrincipalOrgID) and a resource perimeter (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID) under StringEquals or StringEqualsIgnoreCase${trusted}, except statements on arn:aws:s3:::prod-*-starport-layer-bucket/* only`;
const fix = (account = "<your account id>") =>
    `Add to every Allow: "Condition": {"StringEquals": {"aws:PrincipalAccount": "${account}", "aws:ResourceAccount": "${account}"}} (or the org ids with aws:PrincipalOrgID / aws:ResourceOrgID).`;

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const perimeter = { StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT } };
const allow = (action: string, condition: unknown = perimeter, resource: unknown = "*") => ({ Effect: "Allow", Principal: "*", Action: action, Resource: resource, Condition: condition });
const ecrLayers = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*" };

function stack(plan: boolean, s3Policy: unknown = doc(allow("s3:*", { StringEquals: { "aws:PrincipalAccount": ACCOUNT, "s3:ResourceAccount": ACCOUNT } }), ecrLayers)): HarnessResource[] {
    return [
        res(EP, "s3", { vpcId: plan ? "vpc-1" : U, serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", policy: s3Policy, ...(plan ? { id: "vpce-s3" } : {}) }),
        res(EP, "sqs", { vpcId: plan ? "vpc-1" : U, serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", privateDnsEnabled: true, ...(plan ? { id: "vpce-sqs" } : {}) }),
        res(EP_POLICY, "sqs-policy", { vpcEndpointId: plan ? "vpce-sqs" : U, policy: doc(allow("sqs:*", { StringEqualsIgnoreCase: { "aws:PrincipalOrgID": "o-abcdef1234", "aws:ResourceOrgID": "o-abcdef1234" } })) }, plan ? {} : { vpcEndpointId: [urnOf(EP, "sqs")] }),
        res(EP, "partner", { vpcId: plan ? "vpc-1" : U, serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123", vpcEndpointType: "Interface" }),
        res(EP, "inspection", { vpcId: plan ? "vpc-1" : U, serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "GatewayLoadBalancer" }),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(vpcEndpointDataPerimeter, resources, opts));
}

describe("vpc-endpoint-data-perimeter", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes endpoints whose every Allow has both perimeters (inline or aws.ec2.VpcEndpointPolicy), with the ECR layer exception`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports a Gateway and an Interface endpoint without a policy (AWS's full-access default)`, async () => {
            const out = await run(stack(plan).filter((r) => r.type !== EP_POLICY).map((r) => (r.name === "s3" ? res(EP, "s3", Object.fromEntries(Object.entries(r.props).filter(([k]) => k !== "policy"))) : r)));
            const none = (name: string, service: string) => [
                "mandatory",
                urnOf(EP, name),
                `VPC endpoint '${name}' (${service}) has no endpoint policy, so it grants full access to any principal and any resource (AWS's default); ${rule()}. Give it a policy. ${fix()}`,
            ];
            expect(out).to.deep.equal([none("s3", "com.amazonaws.eu-west-1.s3"), none("sqs", "com.amazonaws.eu-west-1.sqs")]);
        });

        it(`${mode}: reports an Allow missing the identity perimeter, and one missing the resource perimeter`, async () => {
            const out = await run(stack(plan, doc(allow("s3:*", { StringEquals: { "aws:ResourceAccount": ACCOUNT } }), allow("s3:GetObject", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } }, ["arn:aws:s3:::x/*"]))));
            expect(out).to.deep.equal([
                [
                    "mandatory",
                    urnOf(EP, "s3"),
                    `VPC endpoint 's3' (com.amazonaws.eu-west-1.s3) has an endpoint policy whose Statement[0] (Allow s3:* on *) has no identity perimeter (aws:PrincipalAccount, aws:PrincipalOrgID under StringEquals/StringEqualsIgnoreCase); ${rule()}. ${fix()}`,
                ],
                [
                    "mandatory",
                    urnOf(EP, "s3"),
                    `VPC endpoint 's3' (com.amazonaws.eu-west-1.s3) has an endpoint policy whose Statement[1] (Allow s3:GetObject on arn:aws:s3:::x/*) has no resource perimeter (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID under StringEquals/StringEqualsIgnoreCase); ${rule()}. ${fix()}`,
                ],
            ]);
        });
    }

    it("does not count the Not... and ...IfExists forms, which open the perimeter", async () => {
        for (const op of ["StringNotEquals", "StringEqualsIfExists", "ForAnyValue:StringEquals"]) {
            const out = await run(stack(true, doc(allow("s3:*", { [op]: { "aws:PrincipalAccount": ACCOUNT, "aws:ResourceAccount": ACCOUNT } }))));
            expect(out.map((f) => f[2].split(";")[0]), op).to.deep.equal([
                "VPC endpoint 's3' (com.amazonaws.eu-west-1.s3) has an endpoint policy whose Statement[0] (Allow s3:* on *) has no identity perimeter (aws:PrincipalAccount, aws:PrincipalOrgID under StringEquals/StringEqualsIgnoreCase) and no resource perimeter (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID under StringEquals/StringEqualsIgnoreCase)",
            ]);
        }
    });

    it("checks perimeter values against trustedAccountIds / trustedOrgIds when configured, and says so in the rule and the fix", async () => {
        const config = { trustedAccountIds: ["210987654321"], trustedOrgIds: ["o-abcdef1234"] };
        const out = await run(stack(true), { config });
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(EP, "s3"),
                `VPC endpoint 's3' (com.amazonaws.eu-west-1.s3) has an endpoint policy whose Statement[0] (Allow s3:* on *) has an identity perimeter naming untrusted aws:PrincipalAccount=${ACCOUNT} and a resource perimeter naming untrusted s3:ResourceAccount=${ACCOUNT}; ${rule(", naming only accounts 210987654321 and organizations o-abcdef1234")}. ${fix("210987654321")}`,
            ],
        ]);
    });

    it("exempts only statements whose every Resource is a configured exception", async () => {
        const mixed = { ...ecrLayers, Resource: ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*", "arn:aws:s3:::attacker-bucket/*"] };
        const out = await run(stack(true, doc(mixed)));
        expect(out.map((f) => f[2].split(";")[0])).to.deep.equal([
            "VPC endpoint 's3' (com.amazonaws.eu-west-1.s3) has an endpoint policy whose Statement[0] (Allow s3:GetObject on arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*, arn:aws:s3:::attacker-bucket/*) has no identity perimeter (aws:PrincipalAccount, aws:PrincipalOrgID under StringEquals/StringEqualsIgnoreCase) and no resource perimeter (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID under StringEquals/StringEqualsIgnoreCase)",
        ]);
    });

    it("reports a separate aws.ec2.VpcEndpointPolicy on the policy resource, and awsx endpoint specs on the VPC", async () => {
        const weak = doc(allow("sqs:*", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } }));
        const out = await run([
            ...stack(true).filter((r) => r.type !== EP_POLICY),
            res(EP_POLICY, "sqs-policy", { vpcEndpointId: "vpce-sqs", policy: weak }),
            res(AWSX_VPC, "team", { vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.s3" }, { serviceName: "com.amazonaws.eu-west-1.kms", vpcEndpointType: "Interface", policy: doc(allow("kms:*")) }] }),
        ]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
            [
                "mandatory",
                urnOf(EP_POLICY, "sqs-policy"),
                "VPC endpoint policy 'sqs-policy' of VPC endpoint 'sqs' (com.amazonaws.eu-west-1.sqs) has an endpoint policy whose Statement[0] (Allow sqs:* on *) has no resource perimeter (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID under StringEquals/StringEqualsIgnoreCase)",
            ],
            [
                "mandatory",
                urnOf(AWSX_VPC, "team"),
                "awsx VPC 'team' endpoint vpcEndpointSpecs[0] (com.amazonaws.eu-west-1.s3) has no endpoint policy, so it grants full access to any principal and any resource (AWS's default)",
            ],
        ]);
    });

    it("defers a policy unknown at preview and an endpoint policy whose endpoint is not resolvable yet", async () => {
        const unknownDoc = await run(stack(false, U));
        const unresolved = await run([...stack(false).filter((r) => r.type !== EP_POLICY), res(EP_POLICY, "p", { vpcEndpointId: U, policy: doc(allow("sqs:*")) })]);
        expect(unknownDoc).to.deep.equal([
            ["advisory", urnOf(EP, "s3"), "can't fully check VPC endpoint 's3' during preview: string value at .policy can't be known during preview; it is checked again when the value is known"],
        ]);
        expect(unresolved).to.deep.equal([
            [
                "advisory",
                urnOf(EP, "sqs"),
                "can't fully check VPC endpoint 'sqs' during preview: string value at .vpcEndpointId of VPC endpoint policy 'p' can't be known during preview; it is checked again when the value is known",
            ],
        ]);
    });

    it("validates account ids, org ids and exception ARNs in its reader, in words", async () => {
        const msg = await rejection(runStackPolicy(vpcEndpointDataPerimeter, [], { config: { trustedAccountIds: ["12345"], trustedOrgIds: ["org-1"], perimeterExceptionResources: ["bucket/*"] } }));
        expect(msg).to.contain(
            `PackConfigError: invalid config for policy '${VPC_ENDPOINT_DATA_PERIMETER}': trustedAccountIds contains "12345", which is not a 12-digit account id; ` +
                'trustedOrgIds contains "org-1", which is not an organization id (o-...); perimeterExceptionResources contains "bucket/*", which is not an ARN (glob)\n',
        );
    });
});
