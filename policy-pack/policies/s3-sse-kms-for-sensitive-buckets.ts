// s3-sse-kms-for-sensitive-buckets: buckets holding PII, exports or alert payloads must be encrypted
// with a KMS key (SSE-KMS or DSSE-KMS), so reading an object needs kms:Decrypt on a key whose policy
// and CloudTrail record say who did it. AES256 (S3-managed keys) protects only the disks.
//
// Which buckets: those tagged with the data-class tag key (tagKeys.dataClass, default
// trace:data-class) whose value is in sensitiveDataClasses. The encryption is read from an
// aws.s3.BucketServerSideEncryptionConfiguration (or V2) in the stack that targets the bucket, or the
// bucket's own (deprecated) inline serverSideEncryptionConfiguration.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { list, show, subjectOf } from "../lib/messages";
import { asArray, asRecord, tagValue } from "../lib/resources";
import { BUCKET_TYPES, Target, bucketsConfiguredBy } from "../lib/s3";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UNKNOWN_STRING, UnknownValueError, orIfUnknown, presenceOf } from "../lib/unknowns";

export const S3_SSE_KMS_FOR_SENSITIVE_BUCKETS = "s3-sse-kms-for-sensitive-buckets";

export const DEFAULT_SENSITIVE_DATA_CLASSES: readonly string[] = ["pii", "exports", "alerts"];
const SSE_CONFIG_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

interface SseConfig {
    readonly sensitiveDataClasses: readonly string[];
}

type Ctx = StackContext<SseConfig>;

const schema = policyConfigSchema(["tagKeys", "exemptions"], {
    sensitiveDataClasses: {
        type: "array",
        description: "Values of the data-class tag (tagKeys.dataClass) whose buckets need SSE-KMS.",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: [...DEFAULT_SENSITIVE_DATA_CLASSES],
    },
});

/** The sseAlgorithm of every rule, as given (non-strings shown as they are). */
function algorithms(rules: readonly unknown[]): unknown[] {
    return rules.map((r) => asRecord(asRecord(r)?.["applyServerSideEncryptionByDefault"])?.["sseAlgorithm"]);
}

/**
 * Whether an encryption configuration whose bucket is not known yet could be the one that makes a
 * bucket compliant: only if every rule is (or could be) SSE-KMS. One with a known weaker algorithm
 * leaves whichever bucket it configures in violation, so it defers nothing.
 */
function mayMakeCompliant(c: PolicyResource): boolean {
    return orIfUnknown(() => {
        const found = algorithms(asArray(c.props["rules"]));
        return found.length > 0 && found.every((a) => typeof a === "string" && KMS_ALGORITHMS.includes(a));
    }, true);
}

function checkBucket(ctx: Ctx, bucket: PolicyResource, configs: readonly PolicyResource[], unresolved: readonly PolicyResource[]): void {
    const dataClass = tagValue(bucket, ctx.cfg.tagKeys.dataClass);
    if (dataClass === undefined || !ctx.cfg.sensitiveDataClasses.includes(dataClass)) {
        return;
    }
    const found: { where: string; algorithms: unknown[] }[] = [];
    if (presenceOf(bucket.props, "serverSideEncryptionConfiguration") !== Presence.Absent) {
        const rule = asRecord(bucket.props["serverSideEncryptionConfiguration"])?.["rule"];
        found.push({ where: "its inline serverSideEncryptionConfiguration", algorithms: algorithms(rule === undefined ? [] : [rule]) });
    }
    for (const c of configs) {
        found.push({ where: subjectOf(c), algorithms: algorithms(asArray(c.props["rules"])) });
    }
    const rule = `buckets tagged ${ctx.cfg.tagKeys.dataClass}=${ctx.cfg.sensitiveDataClasses.join("|")} must use SSE-KMS (${list(KMS_ALGORITHMS)}) by default`;
    const fix = "Add an aws.s3.BucketServerSideEncryptionConfiguration with rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <key ARN> }, bucketKeyEnabled: true }]";
    if (found.length === 0) {
        const mayEncrypt = unresolved.filter(mayMakeCompliant);
        if (mayEncrypt.length > 0) {
            throw new UnknownValueError(UNKNOWN_STRING, [`bucket of ${subjectOf(mayEncrypt[0])}`]);
        }
        ctx.report(bucket, { finding: `is tagged ${ctx.cfg.tagKeys.dataClass}=${show(dataClass)} but has no default encryption configuration (S3 then uses AES256)`, rule, fix });
        return;
    }
    for (const f of found) {
        const weak = f.algorithms.filter((a) => typeof a !== "string" || !KMS_ALGORITHMS.includes(a));
        if (f.algorithms.length === 0 || weak.length > 0) {
            const shown = f.algorithms.length === 0 ? "no rule" : `sseAlgorithm ${weak.map((a) => (a === undefined || a === null ? "unset" : show(a))).join(", ")}`;
            ctx.report(bucket, { finding: `is tagged ${ctx.cfg.tagKeys.dataClass}=${show(dataClass)} but ${f.where} sets ${shown}`, rule, fix: 'Set sseAlgorithm: "aws:kms" (or "aws:kms:dsse") with a customer managed kmsMasterKeyId' });
        }
    }
}

function readConfig(r: ConfigReader): SseConfig {
    rejectUnknownKeys(r, schema);
    const classes = r.stringArray("sensitiveDataClasses", DEFAULT_SENSITIVE_DATA_CLASSES);
    if (classes.length === 0) {
        r.problems.push("sensitiveDataClasses must list at least one data class, got []");
    }
    return { sensitiveDataClasses: classes };
}

export const s3SseKmsForSensitiveBuckets: StackValidationPolicy = {
    name: S3_SSE_KMS_FOR_SENSITIVE_BUCKETS,
    description:
        "Requires SSE-KMS (aws:kms or aws:kms:dsse) default encryption, set in the stack, on S3 buckets whose data-class tag is one of sensitiveDataClasses (pii, exports, alerts by default).",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        S3_SSE_KMS_FOR_SENSITIVE_BUCKETS,
        (ctx) => {
            const configs = new Map<PolicyResource, PolicyResource[]>();
            const unresolved: PolicyResource[] = [];
            for (const c of ctx.index.ofType(...SSE_CONFIG_TYPES)) {
                const { target, buckets } = bucketsConfiguredBy(ctx.index, c);
                if (target === Target.Unresolved) {
                    unresolved.push(c);
                }
                for (const b of buckets) {
                    configs.set(b, [...(configs.get(b) ?? []), c]);
                }
            }
            for (const bucket of ctx.index.ofType(...BUCKET_TYPES)) {
                ctx.each(bucket, () => checkBucket(ctx, bucket, configs.get(bucket) ?? [], unresolved));
            }
        },
        readConfig,
    ),
};
