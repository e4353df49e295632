import { expect } from "chai";

import { S3_HTTPS_ONLY, s3HttpsOnly } from "../../../policy-pack/policies/s3-https-only";
import { HarnessResource, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const BP = "aws:s3/bucketPolicy:BucketPolicy";
const RULE = "every bucket needs an in-stack bucket policy that Denies all principals s3:* on the bucket and its objects when aws:SecureTransport is false";
const statement = (name: string) =>
    `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::${name}","arn:aws:s3:::${name}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`;
const fix = (name: string) => `Add this statement to the bucket policy: ${statement(name)}.`;

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const tlsDeny = (resources: string[], extra: Record<string, unknown> = {}) => ({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
    ...extra,
});
const arns = (name: string) => [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`];

/** Preview: the policy names its bucket by an unknown id, linked by property dependency. Plan: by name. */
function stack(plan: boolean, policyDoc: unknown = doc(tlsDeny(arns("trace-dev-exports")), { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" })): HarnessResource[] {
    return [
        res(BUCKET, "exports", { bucket: "trace-dev-exports", ...(plan ? { id: "trace-dev-exports", arn: "arn:aws:s3:::trace-dev-exports" } : {}) }),
        res(BP, "exports-tls", { bucket: plan ? "trace-dev-exports" : U, policy: policyDoc }, plan ? {} : { bucket: [urnOf(BUCKET, "exports")] }),
        res(BUCKET_V2, "alerts", { bucket: "trace-dev-alerts", policy: doc(tlsDeny(["arn:aws:s3:::trace-dev-alerts*"], { Principal: { AWS: ["*"] }, Action: ["*"], Condition: { BoolIfExists: { "aws:securetransport": false } } })) }),
    ];
}

async function run(resources: HarnessResource[]) {
    return stackFindings(await runStackPolicy(s3HttpsOnly, resources));
}

describe("s3-https-only", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes buckets with a TLS Deny on bucket and objects (separate BucketPolicy; inline, wildcard, BoolIfExists)`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports a bucket with no policy at all`, async () => {
            const out = await run([...stack(plan), res(BUCKET_V2, "raw", { bucket: "trace-dev-raw" })]);
            expect(out).to.deep.equal([
                ["mandatory", urnOf(BUCKET_V2, "raw"), `S3 bucket 'raw' has no bucket policy (neither an aws.s3.BucketPolicy in the stack nor an inline policy); ${RULE}. Add an aws.s3.BucketPolicy with ${statement("trace-dev-raw")}.`],
            ]);
        });

        it(`${mode}: reports an Allow-only policy, a Deny missing the objects, and one missing the bucket`, async () => {
            const allowOnly = await run(stack(plan, doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: arns("trace-dev-exports")[1] })));
            const bucketOnly = await run(stack(plan, doc(tlsDeny([arns("trace-dev-exports")[0]]))));
            const objectsOnly = await run(stack(plan, doc(tlsDeny([arns("trace-dev-exports")[1]]))));
            expect(allowOnly).to.deep.equal([
                ["mandatory", urnOf(BUCKET, "exports"), `S3 bucket 'exports' has a bucket policy (S3 bucket policy 'exports-tls') with no Deny of s3:* for all principals when aws:SecureTransport is false; ${RULE}. ${fix("trace-dev-exports")}`],
            ]);
            expect(bucketOnly).to.deep.equal([
                [
                    "mandatory",
                    urnOf(BUCKET, "exports"),
                    `S3 bucket 'exports' has a TLS Deny in S3 bucket policy 'exports-tls' that covers the bucket (arn:aws:s3:::trace-dev-exports) but not its objects (arn:aws:s3:::trace-dev-exports/*); ${RULE}. ${fix("trace-dev-exports")}`,
                ],
            ]);
            expect(objectsOnly).to.deep.equal([
                [
                    "mandatory",
                    urnOf(BUCKET, "exports"),
                    `S3 bucket 'exports' has a TLS Deny in S3 bucket policy 'exports-tls' that covers its objects (arn:aws:s3:::trace-dev-exports/*) but not the bucket (arn:aws:s3:::trace-dev-exports); ${RULE}. ${fix("trace-dev-exports")}`,
                ],
            ]);
        });
    }

    it("does not count a Deny that is narrower than all principals and s3:*, or conditioned on something else", async () => {
        const narrow = [
            tlsDeny(arns("trace-dev-exports"), { Principal: { AWS: "arn:aws:iam::1:root" } }),
            tlsDeny(arns("trace-dev-exports"), { Action: "s3:GetObject" }),
            tlsDeny(arns("trace-dev-exports"), { Condition: { Bool: { "aws:SecureTransport": "true" } } }),
            tlsDeny(arns("trace-dev-exports"), { Condition: { StringEquals: { "aws:SecureTransport": "false" } } }),
        ];
        for (const s of narrow) {
            const out = await run(stack(true, doc(s)));
            expect(out.map((f) => f[2].split(";")[0]), JSON.stringify(s)).to.deep.equal([
                "S3 bucket 'exports' has a bucket policy (S3 bucket policy 'exports-tls') with no Deny of s3:* for all principals when aws:SecureTransport is false",
            ]);
        }
    });

    it("defers a policy document unknown at preview, and a bucket policy whose bucket cannot be resolved yet", async () => {
        const unknownDoc = await run(stack(false, U));
        const unresolved = await run([...stack(false).filter((r) => r.type !== BP), res(BP, "somewhere", { bucket: U, policy: doc(tlsDeny(arns("x"))) })]);
        expect(unknownDoc).to.deep.equal([
            ["advisory", urnOf(BUCKET, "exports"), "can't fully check S3 bucket 'exports' during preview: string value at .policy can't be known during preview; it is checked again when the value is known"],
        ]);
        expect(unresolved).to.deep.equal([
            [
                "advisory",
                urnOf(BUCKET, "exports"),
                "can't fully check S3 bucket 'exports' during preview: string value at .bucket of S3 bucket policy 'somewhere' can't be known during preview; it is checked again when the value is known",
            ],
        ]);
    });

    it("preview: reports an auto-named bucket whose known policy has no TLS Deny, whatever its unknown name and ARN turn out to be", async () => {
        const allowOnArn = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: U };
        const resources = [
            res(BUCKET, "auto", { bucket: U }),
            res(BP, "auto-policy", { bucket: U, policy: { Version: "2012-10-17", Statement: [allowOnArn] } }, { bucket: [urnOf(BUCKET, "auto")] }),
        ];
        expect(await run(resources)).to.deep.equal([
            [
                "mandatory",
                urnOf(BUCKET, "auto"),
                `S3 bucket 'auto' has a bucket policy (S3 bucket policy 'auto-policy') with no Deny of s3:* for all principals when aws:SecureTransport is false; ${RULE}. ${fix("<bucket>")}`,
            ],
        ]);
    });

    it("preview: still defers an auto-named bucket whose policy has a TLS Deny (its Resource must match the unknown ARN)", async () => {
        const resources = [
            res(BUCKET, "auto", { bucket: U }),
            res(BP, "auto-policy", { bucket: U, policy: { Version: "2012-10-17", Statement: [tlsDeny([U, U])] } }, { bucket: [urnOf(BUCKET, "auto")] }),
        ];
        expect(await run(resources)).to.deep.equal([
            ["advisory", urnOf(BUCKET, "auto"), "can't fully check S3 bucket 'auto' during preview: string value at .bucket can't be known during preview; it is checked again when the value is known"],
        ]);
    });

    it("preview: a bucket policy of an unknown bucket without any TLS Deny does not excuse a bucket with no policy", async () => {
        const out = await run([...stack(false).filter((r) => r.type !== BP), res(BP, "somewhere", { bucket: U, policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }) })]);
        expect(out.map((f) => [f[0], f[1], f[2].split(";")[0]])).to.deep.equal([
            ["mandatory", urnOf(BUCKET, "exports"), "S3 bucket 'exports' has no bucket policy (neither an aws.s3.BucketPolicy in the stack nor an inline policy)"],
        ]);
    });

    it("reports a policy it cannot read instead of passing it", async () => {
        const out = await run(stack(true, "{not json"));
        expect(out).to.have.length(1);
        expect(out[0][2]).to.match(/^S3 bucket 'exports' has a bucket policy \(S3 bucket policy 'exports-tls'\) with no Deny .*; unreadable: S3 bucket policy 'exports-tls': policy is not valid JSON/);
        expect(out[0][0]).to.equal("mandatory");
        expect((await runStackPolicy(s3HttpsOnly, stack(true, "{"))).diagnostics[0].policyName).to.equal(S3_HTTPS_ONLY);
    });
});
