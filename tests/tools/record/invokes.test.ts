import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { answerInvoke, PlaceholderAnswer, PLACEHOLDER_TOKENS, renderPolicyDocument, UnansweredInvokeError } from "../../../tools/record/invokes";

describe("offline invoke answers", () => {
    it("renders iam.getPolicyDocument as IAM JSON: single values as strings, principals merged by type, conditions by test", () => {
        const result = renderPolicyDocument({
            statements: [{
                sid: "ReadOwnBuckets",
                actions: ["s3:GetObject", "s3:ListBucket"],
                resources: ["*"],
                principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }, { type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/x"] }],
                conditions: [
                    { test: "StringEquals", variable: "aws:ResourceAccount", values: ["123456789012"] },
                    { test: "StringEquals", variable: "aws:PrincipalAccount", values: ["123456789012", "210987654321"] },
                ],
            }, { effect: "Deny", notActions: ["sts:AssumeRole"], notResources: ["arn:aws:iam::*:role/ok"] }],
        });
        expect(JSON.parse(result.json as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Sid: "ReadOwnBuckets",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:ListBucket"],
                Resource: "*",
                Principal: { AWS: ["arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/x"] },
                Condition: { StringEquals: { "aws:ResourceAccount": "123456789012", "aws:PrincipalAccount": ["123456789012", "210987654321"] } },
            }, { Effect: "Deny", NotAction: "sts:AssumeRole", NotResource: "arn:aws:iam::*:role/ok" }],
        });
        expect(result.minifiedJson).to.equal(JSON.stringify(JSON.parse(result.json as string)));
    });

    it("merges source documents under the document's statements and override documents over them, by Sid", () => {
        const source = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:*", Resource: "*" }, { Sid: "B", Effect: "Allow", Action: "sqs:*", Resource: "*" }] });
        const override = JSON.stringify({ Version: "2012-10-17", Statement: { Sid: "B", Effect: "Deny", Action: "sqs:*", Resource: "*" } });
        const doc = JSON.parse(renderPolicyDocument({
            sourcePolicyDocuments: [source],
            overridePolicyDocuments: [override],
            statements: [{ sid: "A", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }],
        }).json as string) as { Statement: { Sid: string; Effect: string; Action: string }[] };
        expect(doc.Statement.map((s) => [s.Sid, s.Effect, s.Action])).to.deep.equal([["A", "Allow", "s3:GetObject"], ["B", "Deny", "sqs:*"]]);
    });

    it("answers identity, region, partition and availability zones from the stack's region", () => {
        const ctx = { region: "us-east-2", answers: {} };
        expect(answerInvoke("aws:index/getCallerIdentity:getCallerIdentity", {}, ctx).accountId).to.equal("123456789012");
        expect(answerInvoke("aws:index/getRegion:getRegion", {}, ctx).region).to.equal("us-east-2");
        expect(answerInvoke("aws:index/getPartition:getPartition", {}, ctx).partition).to.equal("aws");
        const azs = answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", { excludeNames: ["us-east-2b"] }, ctx);
        expect([azs.names, azs.zoneIds]).to.deep.equal([["us-east-2a", "us-east-2c"], ["use2-az1", "use2-az3"]]);
        expect(answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, { answers: {} }).names).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });

    it("prefers the mocks file's answer, and names the token of an unanswered invoke", () => {
        const answers = { "aws:index/getRegion:getRegion": { region: "ap-south-1" } };
        expect(answerInvoke("aws:index/getRegion:getRegion", {}, { region: "eu-west-1", answers })).to.deep.equal({ region: "ap-south-1" });
        expect(() => answerInvoke("aws:ec2/getSubnets:getSubnets", { filters: [] }, { answers: {} })).to.throw(UnansweredInvokeError, 'the program called the data source "aws:ec2/getSubnets:getSubnets" with {"filters":[]}');
    });

    it("answers an AMI lookup with a placeholder it names, and lets a mocks file's answer win", () => {
        const named: PlaceholderAnswer[] = [];
        const args = { owners: ["137112412989"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] };
        const ami = answerInvoke("aws:ec2/getAmi:getAmi", args, { region: "us-east-1", answers: {}, onPlaceholder: (p) => named.push(p) });
        expect(ami.id).to.match(/^ami-0[0-9a-f]{16}$/);
        expect([ami.imageId, ami.arn, ami.ownerId]).to.deep.equal([ami.id, `arn:aws:ec2:us-east-1::image/${ami.id}`, "137112412989"]);
        expect(named).to.deep.equal([{ token: "aws:ec2/getAmi:getAmi", args, result: ami }]);
        const answers = { "aws:ec2/getAmi:getAmi": { id: "ami-0real" } };
        expect(answerInvoke("aws:ec2/getAmi:getAmi", args, { answers, onPlaceholder: (p) => named.push(p) })).to.deep.equal({ id: "ami-0real" });
        answerInvoke("aws:index/getRegion:getRegion", {}, { answers: {}, onPlaceholder: (p) => named.push(p) });
        expect(named).to.have.length(1);
    });

    it("keeps asking for --mocks for lookups that could change a verdict: the default VPC, an organization", () => {
        expect(() => answerInvoke("aws:ec2/getVpc:getVpc", { default: true }, { answers: {} })).to.throw(UnansweredInvokeError, "aws:ec2/getVpc:getVpc");
        expect(() => answerInvoke("aws:organizations/getOrganization:getOrganization", {}, { answers: {} })).to.throw(UnansweredInvokeError);
    });

    // Each placeholder must be a data source @pulumi/aws defines, answered only with fields its result declares.
    for (const token of PLACEHOLDER_TOKENS) {
        it(`answers ${token} only with fields @pulumi/aws declares for its result`, () => {
            const [, mod, fn] = token.split(/[:/]/);
            const file = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), mod === "index" ? "" : mod, fn);
            expect(fs.readFileSync(`${file}.js`, "utf8")).to.include(`"${token}"`);
            const declaration = fs.readFileSync(`${file}.d.ts`, "utf8");
            const resultType = declaration.match(new RegExp(`export interface ${fn[0].toUpperCase()}${fn.slice(1)}Result \\{([\\s\\S]*?)\\n\\}`));
            expect(resultType, `${fn} result type`).to.not.equal(null);
            const declared = [...(resultType as RegExpMatchArray)[1].matchAll(/readonly (\w+)\??:/g)].map((m) => m[1]);
            const result = answerInvoke(token, { name: "example.com" }, { region: "us-east-1", answers: {} });
            expect(Object.keys(result).filter((k) => !declared.includes(k))).to.deep.equal([]);
            expect(result.id).to.be.a("string").and.not.equal("");
        });
    }
});
