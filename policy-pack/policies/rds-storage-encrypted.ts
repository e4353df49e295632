// rds-storage-encrypted: database storage (and so its snapshots) must be encrypted at rest
// (security model: "RDS: encrypted storage with AWS-managed or customer-managed KMS key").

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asRecord, asString, isTrue, validateResourcesOfTypes } from "../lib/resources";
import { Presence, presenceOf } from "../lib/unknowns";

export const RDS_STORAGE_ENCRYPTED = "rds-storage-encrypted";

const RULE = "RDS storage must be encrypted at rest";
/** Aurora Serverless v1 is always encrypted, whatever storageEncrypted says. */
const ALWAYS_ENCRYPTED_ENGINE_MODE = "serverless";

function reportUnencrypted(value: unknown, ctx: CheckContext<object>, fix: string): void {
    const shown = value === undefined || value === null ? "unset (defaults to false)" : show(value);
    ctx.report({ finding: `has storageEncrypted ${shown}`, rule: RULE, fix });
}

export const rdsStorageEncrypted: ResourceValidationPolicy = {
    name: RDS_STORAGE_ENCRYPTED,
    description: "Requires storageEncrypted: true on RDS instances and clusters.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.rds.Instance,
            checked(RDS_STORAGE_ENCRYPTED, (props, ctx) => {
                const db = asRecord(props) ?? {};
                const value = db["storageEncrypted"];
                if (isTrue(value)) {
                    return;
                }
                // A read replica inherits the source's encryption unless told otherwise; the source is checked on its own.
                if (presenceOf(db, "replicateSourceDb") !== Presence.Absent && (value === undefined || value === null)) {
                    return;
                }
                reportUnencrypted(value, ctx, "Set storageEncrypted: true and kmsKeyId to the data KMS key");
            }),
        ),
        validateResourceOfType(
            aws.rds.Cluster,
            checked(RDS_STORAGE_ENCRYPTED, (props, ctx) => {
                const cluster = asRecord(props) ?? {};
                const value = cluster["storageEncrypted"];
                if (isTrue(value)) {
                    return;
                }
                if (asString(cluster["engineMode"]) === ALWAYS_ENCRYPTED_ENGINE_MODE) {
                    return;
                }
                reportUnencrypted(value, ctx, "Set storageEncrypted: true and kmsKeyId to the data KMS key (this replaces the cluster)");
            }),
        ),
    ),
};
