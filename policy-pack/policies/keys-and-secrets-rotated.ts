// keys-and-secrets-rotated (advisory): the security model asks that "stored secrets rotate on a fixed
// cadence (e.g. ≤90d)", and keys likewise. Two resource shapes:
//   - aws.kms.Key (symmetric encryption keys, the only ones KMS rotates): enableKeyRotation on, and
//     rotationPeriodInDays (365 when unset, AWS's default) within the team's maximum;
//   - aws.secretsmanager.Secret: an aws.secretsmanager.SecretRotation for it (a rotation Lambda or
//     managed external rotation) whose schedule is within the team's maximum (90 days by default).
// A stack policy, since a secret's rotation is a separate resource linked by an id unknown at preview.
// A secret that cannot rotate automatically (a third party's API key) takes an exemption with a reason.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { integerSchema, readInteger } from "../lib/config-numbers";
import { subjectOf } from "../lib/messages";
import { asNumber, asRecord, asString } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { UnknownTracker } from "../lib/unknowns";

export const KEYS_AND_SECRETS_ROTATED = "keys-and-secrets-rotated";

const KMS_KEY = "aws:kms/key:Key";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/** KMS's own default period when rotation is on and no period is given; its allowed range is 90-2560. */
export const KMS_DEFAULT_ROTATION_DAYS = 365;
export const DEFAULT_MAX_KEY_ROTATION_DAYS = 365;
export const DEFAULT_MAX_SECRET_ROTATION_DAYS = 90;
const SYMMETRIC = "SYMMETRIC_DEFAULT";

interface RotationConfig {
    readonly maxKeyRotationDays: number;
    readonly maxSecretRotationDays: number;
}
type Ctx = StackContext<RotationConfig>;

const schema = policyConfigSchema(["exemptions"], {
    maxKeyRotationDays: integerSchema("Longest automatic rotation period allowed for KMS keys, in days (KMS allows 90 to 2560).", 90, 2560, DEFAULT_MAX_KEY_ROTATION_DAYS),
    maxSecretRotationDays: integerSchema("Longest rotation schedule allowed for Secrets Manager secrets, in days.", 1, 1000, DEFAULT_MAX_SECRET_ROTATION_DAYS),
});

function keyRule(ctx: Ctx): string {
    return `KMS keys rotate their key material automatically at least every ${ctx.cfg.maxKeyRotationDays} days`;
}

function secretRule(ctx: Ctx): string {
    return `stored secrets rotate on a fixed schedule of at most ${ctx.cfg.maxSecretRotationDays} days`;
}

/** Only symmetric encryption keys in KMS's own key store can rotate automatically. */
function rotatable(key: PolicyResource): boolean {
    const spec = asString(key.props["customerMasterKeySpec"]) ?? asString(key.props["keySpec"]) ?? SYMMETRIC;
    return spec === SYMMETRIC && asString(key.props["customKeyStoreId"]) === undefined;
}

function checkKey(ctx: Ctx, key: PolicyResource): void {
    ctx.each(key, () => {
        if (!rotatable(key)) {
            return;
        }
        const fix = `Set enableKeyRotation: true and rotationPeriodInDays to at most ${ctx.cfg.maxKeyRotationDays}`;
        if (key.props["enableKeyRotation"] !== true) {
            ctx.report(key, { finding: "has automatic key rotation off (enableKeyRotation is not true)", rule: keyRule(ctx), fix });
            return;
        }
        const days = asNumber(key.props["rotationPeriodInDays"]) ?? KMS_DEFAULT_ROTATION_DAYS;
        if (days > ctx.cfg.maxKeyRotationDays) {
            const given = asNumber(key.props["rotationPeriodInDays"]) === undefined ? `every ${days} days (KMS's default; rotationPeriodInDays is unset)` : `every ${days} days`;
            ctx.report(key, { finding: `rotates ${given}`, rule: keyRule(ctx), fix });
        }
    });
}

/**
 * The longest interval, in days, between two rotations of a schedule; undefined when the schedule
 * cannot be shown to be bounded (a cron expression limited to some months).
 */
export function scheduleDays(rules: Record<string, unknown>): number | undefined {
    const after = asNumber(rules["automaticallyAfterDays"]);
    if (after !== undefined) {
        return after;
    }
    const expression = asString(rules["scheduleExpression"])?.trim() ?? "";
    const rate = /^rate\(\s*(\d+)\s+(hours?|days?)\s*\)$/.exec(expression);
    if (rate !== null) {
        return rate[2].startsWith("hour") ? Number(rate[1]) / 24 : Number(rate[1]);
    }
    // cron(minutes hours day-of-month month day-of-week year): every month runs at least once a month.
    const cron = /^cron\((.*)\)$/.exec(expression);
    const fields = cron?.[1].trim().split(/\s+/) ?? [];
    return fields.length === 6 && fields[3] === "*" && (fields[5] === "*" || fields[5] === "?") ? 31 : undefined;
}

/** Secret -> the SecretRotation resources that rotate it (by dependency, ARN or name), built once. */
function rotationsBySecret(ctx: Ctx): Map<PolicyResource, PolicyResource[]> {
    const byName = new Map<string, PolicyResource>();
    for (const secret of ctx.index.ofType(SECRET)) {
        const name = knownStringsAt(secret.props, ["name"])[0];
        if (name !== undefined) {
            byName.set(name, secret);
        }
    }
    const out = new Map<PolicyResource, PolicyResource[]>();
    for (const rotation of ctx.index.ofType(SECRET_ROTATION)) {
        const known = knownStringsAt(rotation.props, ["secretId"]);
        const named = known.map((v) => byName.get(v)).filter((s): s is PolicyResource => s !== undefined);
        for (const secret of new Set([...ctx.index.references(rotation, "secretId", [SECRET], known), ...named])) {
            out.set(secret, [...(out.get(secret) ?? []), rotation]);
        }
    }
    return out;
}

function checkSecret(ctx: Ctx, secret: PolicyResource, rotations: readonly PolicyResource[]): void {
    ctx.each(secret, () => {
        const fix = `Add aws.secretsmanager.SecretRotation { secretId: <this secret>, rotationLambdaArn, rotationRules: { automaticallyAfterDays: ${ctx.cfg.maxSecretRotationDays} } }, or exempt the secret with the reason it cannot rotate automatically`;
        if (rotations.length === 0) {
            ctx.report(secret, { finding: "has no rotation schedule (no aws.secretsmanager.SecretRotation for it)", rule: secretRule(ctx), fix });
            return;
        }
        // One schedule within the maximum is enough; an unknown one defers only when none is.
        const unknowns = new UnknownTracker();
        const findings: string[] = [];
        let within = false;
        for (const rotation of rotations) {
            unknowns.check(() => {
                const rules = asRecord(rotation.props["rotationRules"]) ?? {};
                const days = scheduleDays(rules);
                if (days !== undefined && days <= ctx.cfg.maxSecretRotationDays) {
                    within = true;
                } else if (days === undefined) {
                    findings.push(`is rotated by ${subjectOf(rotation)} on a schedule that cannot be shown to run every ${ctx.cfg.maxSecretRotationDays} days (${JSON.stringify(rules["scheduleExpression"] ?? null)})`);
                } else {
                    findings.push(`is rotated by ${subjectOf(rotation)} only every ${days} days`);
                }
            });
        }
        if (within) {
            return;
        }
        unknowns.rethrow();
        for (const finding of findings) {
            ctx.report(secret, { finding, rule: secretRule(ctx), fix: `Set rotationRules to at most ${ctx.cfg.maxSecretRotationDays} days (automaticallyAfterDays or rate(N days))` });
        }
    });
}

function readConfig(r: ConfigReader): RotationConfig {
    rejectUnknownKeys(r, schema);
    return {
        maxKeyRotationDays: readInteger(r, "maxKeyRotationDays", 90, 2560, DEFAULT_MAX_KEY_ROTATION_DAYS),
        maxSecretRotationDays: readInteger(r, "maxSecretRotationDays", 1, 1000, DEFAULT_MAX_SECRET_ROTATION_DAYS),
    };
}

export const keysAndSecretsRotated: StackValidationPolicy = {
    name: KEYS_AND_SECRETS_ROTATED,
    description:
        "Requires automatic rotation within the team's maximum for symmetric KMS keys (365 days by default) and a rotation schedule within the maximum for every Secrets Manager secret (90 days by default).",
    enforcementLevel: "advisory",
    configSchema: schema,
    validateStack: checkedStack(
        KEYS_AND_SECRETS_ROTATED,
        (ctx) => {
            for (const key of ctx.index.ofType(KMS_KEY)) {
                checkKey(ctx, key);
            }
            const rotations = rotationsBySecret(ctx);
            for (const secret of ctx.index.ofType(SECRET)) {
                checkSecret(ctx, secret, rotations.get(secret) ?? []);
            }
        },
        readConfig,
    ),
};
