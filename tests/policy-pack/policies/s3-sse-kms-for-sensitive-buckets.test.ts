import { expect } from "chai";

import { S3_SSE_KMS_FOR_SENSITIVE_BUCKETS, s3SseKmsForSensitiveBuckets } from "../../../policy-pack/policies/s3-sse-kms-for-sensitive-buckets";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, rejection, stackFindings } from "../support";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
const RULE = "buckets tagged trace:data-class=pii|exports|alerts must use SSE-KMS (aws:kms, aws:kms:dsse) by default";
const ADD_FIX =
    'Add an aws.s3.BucketServerSideEncryptionConfiguration with rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: <key ARN> }, bucketKeyEnabled: true }].';
const ALGO_FIX = 'Set sseAlgorithm: "aws:kms" (or "aws:kms:dsse") with a customer managed kmsMasterKeyId.';

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}
const rules = (algorithm: unknown) => [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, kmsMasterKeyId: U }, bucketKeyEnabled: true }];

/** Preview: configurations name auto-named buckets by unknown ids (linked by dependency). Plan: by name. */
function stack(plan: boolean, exportsAlgorithm: unknown = "aws:kms"): HarnessResource[] {
    const ref = (bucketType: string, name: string, bucketName: string) => (plan ? [{ bucket: bucketName }, {}] : [{ bucket: U }, { bucket: [urnOf(bucketType, name)] }]) as [Record<string, unknown>, Record<string, string[]>];
    const [exportsRef, exportsDeps] = ref(BUCKET, "exports", "trace-exports-1a2b");
    const [piiRef, piiDeps] = ref(BUCKET_V2, "pii", "trace-pii-3c4d");
    return [
        res(BUCKET, "exports", { tags: { "trace:data-class": "exports" }, ...(plan ? { bucket: "trace-exports-1a2b", id: "trace-exports-1a2b" } : {}) }),
        res(SSE, "exports-sse", { ...exportsRef, rules: rules(exportsAlgorithm) }, exportsDeps),
        res(BUCKET_V2, "pii", { tags: { "trace:data-class": "pii" }, ...(plan ? { bucket: "trace-pii-3c4d", id: "trace-pii-3c4d" } : {}) }),
        res(SSE_V2, "pii-sse", { ...piiRef, rules: rules("aws:kms:dsse") }, piiDeps),
        res(BUCKET, "alerts", { tags: { "trace:data-class": "alerts" }, serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } }),
        res(BUCKET_V2, "scratch", { tags: { "trace:data-class": "public" } }),
        res(BUCKET_V2, "untagged", {}),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(s3SseKmsForSensitiveBuckets, resources, opts));
}

describe("s3-sse-kms-for-sensitive-buckets", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes SSE-KMS and DSSE-KMS set by a configuration (V1 and V2) or inline; ignores other data classes`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports AES256 on a sensitive bucket`, async () => {
            expect(await run(stack(plan, "AES256"))).to.deep.equal([
                ["mandatory", urnOf(BUCKET, "exports"), `S3 bucket 'exports' is tagged trace:data-class=exports but S3 bucket encryption configuration 'exports-sse' sets sseAlgorithm AES256; ${RULE}. ${ALGO_FIX}`],
            ]);
        });

        it(`${mode}: reports a sensitive bucket with no encryption configuration`, async () => {
            const out = await run(stack(plan).filter((r) => r.name !== "pii-sse"));
            expect(out).to.deep.equal([
                ["mandatory", urnOf(BUCKET_V2, "pii"), `S3 bucket 'pii' is tagged trace:data-class=pii but has no default encryption configuration (S3 then uses AES256); ${RULE}. ${ADD_FIX}`],
            ]);
        });
    }

    it("reports an inline AES256 configuration", async () => {
        const out = await run([
            ...stack(true).filter((r) => r.name !== "alerts"),
            res(BUCKET, "alerts", { tags: { "trace:data-class": "alerts" }, serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } }),
        ]);
        expect(out.map((f) => f[2].split(";")[0])).to.deep.equal(["S3 bucket 'alerts' is tagged trace:data-class=alerts but its inline serverSideEncryptionConfiguration sets sseAlgorithm AES256"]);
    });

    it("reads the team's tag key and data classes, and names them in the message", async () => {
        const bucket = res(BUCKET_V2, "ledger", { tags: { "ledger:class": "card-data" } });
        const out = await run([bucket], { config: { tagKeys: { dataClass: "ledger:class" }, sensitiveDataClasses: ["card-data"] } });
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(BUCKET_V2, "ledger"),
                `S3 bucket 'ledger' is tagged ledger:class=card-data but has no default encryption configuration (S3 then uses AES256); buckets tagged ledger:class=card-data must use SSE-KMS (aws:kms, aws:kms:dsse) by default. ${ADD_FIX}`,
            ],
        ]);
        expect(await run([bucket])).to.deep.equal([]);
    });

    it("defers an algorithm unknown at preview and a configuration whose bucket is not resolvable yet", async () => {
        const unknownAlgo = await run(stack(false, U));
        const unresolved = await run([...stack(false).filter((r) => r.name !== "pii-sse"), res(SSE_V2, "somewhere", { bucket: U, rules: rules("aws:kms") })]);
        const deferred = (name: string, type: string, what: string) => [
            "advisory",
            urnOf(type, name),
            `can't fully check S3 bucket '${name}' during preview: string value at ${what} can't be known during preview; it is checked again when the value is known`,
        ];
        expect(unknownAlgo).to.deep.equal([deferred("exports", BUCKET, ".rules.0.applyServerSideEncryptionByDefault.sseAlgorithm")]);
        expect(unresolved).to.deep.equal([deferred("pii", BUCKET_V2, ".bucket of S3 bucket encryption configuration 'somewhere'")]);
    });

    it("preview: a configuration of an unresolvable bucket with a weaker algorithm defers nothing: the bucket fails whichever bucket it turns out to configure", async () => {
        const out = await run([...stack(false).filter((r) => r.name !== "pii-sse"), res(SSE_V2, "somewhere", { bucket: U, rules: rules("AES256") })]);
        expect(out).to.deep.equal([
            ["mandatory", urnOf(BUCKET_V2, "pii"), `S3 bucket 'pii' is tagged trace:data-class=pii but has no default encryption configuration (S3 then uses AES256); ${RULE}. ${ADD_FIX}`],
        ]);
    });

    it("rejects an empty class list and an unknown key", async () => {
        const msg = await rejection(runStackPolicy(s3SseKmsForSensitiveBuckets, [], { config: { sensitiveClasses: ["pii"] } }));
        expect(msg).to.contain(`invalid config for policy '${S3_SSE_KMS_FOR_SENSITIVE_BUCKETS}': sensitiveClasses is not a config key of this policy (did you mean sensitiveDataClasses?)`);
        const empty = await rejection(runStackPolicy(s3SseKmsForSensitiveBuckets, [], { config: { sensitiveDataClasses: [] } }));
        expect(empty).to.equal(`config for policy '${S3_SSE_KMS_FOR_SENSITIVE_BUCKETS}' is invalid: /sensitiveDataClasses must NOT have fewer than 1 items`);
    });
});
