// s3-https-only: the hardening checklist asks for HTTPS-only bucket policies. Without an explicit
// Deny on aws:SecureTransport=false, a client (or a misconfigured SDK) can read and write objects
// over plain HTTP. The Deny must cover the bucket (ListBucket, policy and ACL calls) and its objects
// (every object call), for every principal and every S3 action.
//
// A stack policy: the policy is usually a separate aws.s3.BucketPolicy naming its bucket, found
// through property dependencies or the bucket's known name. A policy document unknown at preview
// (typically built from the bucket's ARN) defers the verdict; it is checked again at update. An
// unknown defers only when it could change the verdict: a known document without any statement that
// is (or could become) a TLS Deny fails whatever the bucket's unknown name or ARN turns out to be.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { globToRegExp } from "../lib/exemptions";
import { subjectOf } from "../lib/messages";
import { DocumentStatus, Statement, conditionValues, isDeny, parsePolicyDocument, stringList } from "../lib/policy-document";
import { isRecord } from "../lib/resources";
import { BUCKET_TYPES, Target, bucketName, bucketsConfiguredBy } from "../lib/s3";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UNKNOWN_STRING, UnknownValueError, assertKnown, orIfUnknown, presenceOf } from "../lib/unknowns";

export const S3_HTTPS_ONLY = "s3-https-only";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const RULE = "every bucket needs an in-stack bucket policy that Denies all principals s3:* on the bucket and its objects when aws:SecureTransport is false";
const TLS_OPERATORS = ["Bool", "BoolIfExists"];

const schema = policyConfigSchema(["exemptions"]);
type Ctx = StackContext<object>;

/** Where a policy document comes from, for messages and for its property path. */
interface Source {
    readonly resource: PolicyResource;
    readonly property: string;
    readonly label: string;
}

function denyStatement(name: string): string {
    const arn = `arn:aws:s3:::${name}`;
    return `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["${arn}","${arn}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`;
}

function allPrincipals(s: Statement): boolean {
    const p = s.raw["Principal"];
    assertKnown(p, [...s.path, "Principal"]);
    if (p === "*") {
        return true;
    }
    return isRecord(p) && stringList(p["AWS"], [...s.path, "Principal", "AWS"]).includes("*");
}

function allS3Actions(s: Statement): boolean {
    return stringList(s.raw["Action"], [...s.path, "Action"]).some((a) => a === "*" || a.toLowerCase() === "s3:*");
}

function deniesPlainHttp(s: Statement): boolean {
    return TLS_OPERATORS.some((op) => (conditionValues(s, op, "aws:SecureTransport") ?? []).some((v) => v.toLowerCase() === "false"));
}

/** `arn:aws-cn:s3:::x` and `arn:aws:s3:::x` name the same bucket for this check. */
function normalise(arn: string): string {
    return arn.replace(/^arn:aws[a-z-]*:/, "arn:aws:");
}

/** True when one of the statement's Resource patterns covers `arn`. */
function covers(resources: readonly string[], arn: string): boolean {
    return resources.some((r) => globToRegExp(normalise(r)).test(arn));
}

enum Coverage {
    Both = "both",
    BucketOnly = "bucket-only",
    ObjectsOnly = "objects-only",
    None = "none",
}

function isTlsDeny(s: Statement): boolean {
    return isDeny(s) && allPrincipals(s) && allS3Actions(s) && deniesPlainHttp(s);
}

/** True when the statement is a TLS Deny, or could be one once its unknown values are known. */
function couldBeTlsDeny(s: Statement): boolean {
    return orIfUnknown(() => isTlsDeny(s), true);
}

function coverage(statements: readonly Statement[], name: string): Coverage {
    const bucketArn = `arn:aws:s3:::${name}`;
    let bucket = false;
    let objects = false;
    for (const s of statements) {
        if (!isTlsDeny(s)) {
            continue;
        }
        const resources = stringList(s.raw["Resource"], [...s.path, "Resource"]);
        bucket ||= covers(resources, bucketArn);
        objects ||= covers(resources, `${bucketArn}/*`);
    }
    return bucket && objects ? Coverage.Both : bucket ? Coverage.BucketOnly : objects ? Coverage.ObjectsOnly : Coverage.None;
}

/**
 * Whether a bucket policy whose bucket is not known yet could give some bucket its TLS Deny: one
 * whose document is known and has no possible TLS Deny cannot, whichever bucket it turns out to name.
 */
function mayHoldTlsDeny(bp: PolicyResource): boolean {
    return orIfUnknown(() => {
        const doc = parsePolicyDocument(bp.props["policy"], "policy");
        return doc.status === DocumentStatus.Read && doc.statements.some(couldBeTlsDeny);
    }, true);
}

function checkBucket(ctx: Ctx, bucket: PolicyResource, sources: readonly Source[], unresolvedPolicies: readonly PolicyResource[]): void {
    if (sources.length === 0) {
        const mayHoldTheDeny = unresolvedPolicies.filter(mayHoldTlsDeny);
        if (mayHoldTheDeny.length > 0) {
            throw new UnknownValueError(UNKNOWN_STRING, [`bucket of ${subjectOf(mayHoldTheDeny[0])}`]);
        }
        ctx.report(bucket, {
            finding: "has no bucket policy (neither an aws.s3.BucketPolicy in the stack nor an inline policy)",
            rule: RULE,
            fix: `Add an aws.s3.BucketPolicy with ${denyStatement(bucketName(bucket) ?? "<bucket>")}`,
        });
        return;
    }
    const statements: Statement[] = [];
    const unreadable: string[] = [];
    for (const src of sources) {
        const doc = parsePolicyDocument(src.resource.props[src.property], src.property);
        if (doc.status === DocumentStatus.Unreadable) {
            unreadable.push(`${src.label}: ${doc.reason}`);
        } else {
            statements.push(...doc.statements);
        }
    }
    const where = sources.map((s) => s.label).join(", ");
    const name = bucketName(bucket);
    if (name === undefined && statements.some(couldBeTlsDeny)) {
        // A TLS Deny whose Resource must be matched against the bucket's ARN, which is not known yet.
        throw new UnknownValueError(UNKNOWN_STRING, ["bucket"]);
    }
    const found = name === undefined ? Coverage.None : coverage(statements, name);
    if (found === Coverage.Both) {
        return;
    }
    const arn = `arn:aws:s3:::${name ?? "<bucket>"}`;
    const finding =
        found === Coverage.BucketOnly
            ? `has a TLS Deny in ${where} that covers the bucket (${arn}) but not its objects (${arn}/*)`
            : found === Coverage.ObjectsOnly
              ? `has a TLS Deny in ${where} that covers its objects (${arn}/*) but not the bucket (${arn})`
              : `has a bucket policy (${where}) with no Deny of s3:* for all principals when aws:SecureTransport is false${unreadable.length > 0 ? `; unreadable: ${unreadable.join("; ")}` : ""}`;
    ctx.report(bucket, { finding, rule: RULE, fix: `Add this statement to the bucket policy: ${denyStatement(name ?? "<bucket>")}` });
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const s3HttpsOnly: StackValidationPolicy = {
    name: S3_HTTPS_ONLY,
    description:
        "Requires every S3 bucket to have an in-stack bucket policy (aws.s3.BucketPolicy or inline) denying s3:* to all principals on the bucket and its objects when aws:SecureTransport is false.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        S3_HTTPS_ONLY,
        (ctx) => {
            const sources = new Map<PolicyResource, Source[]>();
            const unresolved: PolicyResource[] = [];
            for (const bp of ctx.index.ofType(BUCKET_POLICY)) {
                const { target, buckets } = bucketsConfiguredBy(ctx.index, bp);
                if (target === Target.Unresolved) {
                    unresolved.push(bp);
                }
                for (const b of buckets) {
                    sources.set(b, [...(sources.get(b) ?? []), { resource: bp, property: "policy", label: subjectOf(bp) }]);
                }
            }
            for (const bucket of ctx.index.ofType(...BUCKET_TYPES)) {
                ctx.each(bucket, () => {
                    const own = presenceOf(bucket.props, "policy") === Presence.Absent ? [] : [{ resource: bucket, property: "policy", label: "its inline policy" }];
                    checkBucket(ctx, bucket, [...own, ...(sources.get(bucket) ?? [])], unresolved);
                });
            }
        },
        readConfig,
    ),
};
