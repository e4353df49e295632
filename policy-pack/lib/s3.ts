// S3 buckets and the separate resources that configure them (bucket policies, encryption
// configurations). Those name their bucket by its name, which for an auto-named bucket is unknown at
// preview, so the bucket is found through the property dependencies of `bucket`, else by the known
// name (the bucket's `bucket` input or its id).

import { PolicyResource } from "@pulumi/policy";

import { StackIndex, knownStringsAt } from "./stack";
import { isUnknownSentinel, peekValue } from "./unknowns";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** The bucket's name when known: its `bucket` input, else its id (the name, once created). */
export function bucketName(bucket: PolicyResource): string | undefined {
    return knownStringsAt(bucket.props, ["bucket"])[0] ?? knownStringsAt(bucket.props, ["id"])[0];
}

export enum Target {
    /** The buckets of the stack the resource configures (possibly none: a bucket of another stack). */
    Resolved = "resolved",
    /** Its `bucket` is unknown and not traceable: it may configure any bucket of the stack. */
    Unresolved = "unresolved",
}

/** Which buckets of the stack `r` (a bucket policy, an encryption configuration) configures. */
export function bucketsConfiguredBy(index: StackIndex, r: PolicyResource): { target: Target; buckets: PolicyResource[] } {
    const known = knownStringsAt(r.props, ["bucket"]);
    const byRef = index.references(r, "bucket", BUCKET_TYPES, known);
    const byName = index.ofType(...BUCKET_TYPES).filter((b) => {
        const name = bucketName(b);
        return name !== undefined && known.includes(name);
    });
    const buckets = [...new Set([...byRef, ...byName])];
    const unresolved = buckets.length === 0 && isUnknownSentinel(peekValue(r.props, "bucket"));
    return { target: unresolved ? Target.Unresolved : Target.Resolved, buckets };
}
