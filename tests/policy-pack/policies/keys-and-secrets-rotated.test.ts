import { expect } from "chai";

import { ConfigReader } from "../../../policy-pack/lib/config";
import { readInteger } from "../../../policy-pack/lib/config-numbers";
import { KEYS_AND_SECRETS_ROTATED, keysAndSecretsRotated, scheduleDays } from "../../../policy-pack/policies/keys-and-secrets-rotated";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const KEY = "aws:kms/key:Key";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

const KEY_RULE = "KMS keys rotate their key material automatically at least every 365 days";
const KEY_FIX = "Set enableKeyRotation: true and rotationPeriodInDays to at most 365.";
const SECRET_RULE = "stored secrets rotate on a fixed schedule of at most 90 days";
const NO_ROTATION_FIX =
    "Add aws.secretsmanager.SecretRotation { secretId: <this secret>, rotationLambdaArn, rotationRules: { automaticallyAfterDays: 90 } }, or exempt the secret with the reason it cannot rotate automatically.";
const SCHEDULE_FIX = "Set rotationRules to at most 90 days (automaticallyAfterDays or rate(N days)).";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/dev/trace/workers/worker_token-AbCdEf";

/** Props set to undefined are left out, as the engine leaves out unset inputs. */
function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    const set = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
    return { type, name, props: set, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

/** Preview: the rotation links to its secret by property dependency (ARN unknown). Plan: by the known ARN. */
function stack(plan: boolean, parts: { key?: Record<string, unknown>; rules?: Record<string, unknown> } = {}): HarnessResource[] {
    return [
        res(KEY, "secrets-key", { enableKeyRotation: true, rotationPeriodInDays: 365, ...parts.key }),
        res(KEY, "signing-key", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
        res(SECRET, "worker-token", { name: "/dev/trace/workers/worker_token", arn: plan ? SECRET_ARN : U }),
        res(ROTATION, "worker-token-rotation", { secretId: plan ? SECRET_ARN : U, rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate", rotationRules: parts.rules ?? { automaticallyAfterDays: 30 } }, plan ? {} : { secretId: [urnOf(SECRET, "worker-token")] }),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(keysAndSecretsRotated, resources, opts));
}

describe("keys-and-secrets-rotated", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";

        it(`${mode}: passes a rotating symmetric key, an asymmetric key (KMS cannot rotate it) and a secret rotated every 30 days`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
            expect(await run(stack(plan, { key: { rotationPeriodInDays: undefined }, rules: { scheduleExpression: "rate(90 days)" } }))).to.deep.equal([]);
        });

        it(`${mode}: reports a KMS key with rotation off or unset`, async () => {
            const off = await run(stack(plan, { key: { enableKeyRotation: false } }));
            const unset = await run(stack(plan).map((r) => (r.name === "secrets-key" ? res(KEY, r.name, { description: "no rotation" }) : r)));
            const expected = [["advisory", urnOf(KEY, "secrets-key"), `KMS key 'secrets-key' has automatic key rotation off (enableKeyRotation is not true); ${KEY_RULE}. ${KEY_FIX}`]];
            expect(off).to.deep.equal(expected);
            expect(unset).to.deep.equal(expected);
        });

        it(`${mode}: reports a KMS key whose rotation period is over the maximum, given or KMS's default`, async () => {
            const long = await run(stack(plan, { key: { rotationPeriodInDays: 730 } }));
            expect(long).to.deep.equal([["advisory", urnOf(KEY, "secrets-key"), `KMS key 'secrets-key' rotates every 730 days; ${KEY_RULE}. ${KEY_FIX}`]]);
            const byDefault = await run(stack(plan, { key: { rotationPeriodInDays: undefined } }), { config: { maxKeyRotationDays: 180 } });
            expect(byDefault).to.deep.equal([
                [
                    "advisory",
                    urnOf(KEY, "secrets-key"),
                    "KMS key 'secrets-key' rotates every 365 days (KMS's default; rotationPeriodInDays is unset); KMS keys rotate their key material automatically at least every 180 days. Set enableKeyRotation: true and rotationPeriodInDays to at most 180.",
                ],
            ]);
        });

        it(`${mode}: reports a secret without a rotation, and one rotated less often than the maximum`, async () => {
            const none = await run(stack(plan).filter((r) => r.type !== ROTATION));
            expect(none).to.deep.equal([
                ["advisory", urnOf(SECRET, "worker-token"), `secret 'worker-token' has no rotation schedule (no aws.secretsmanager.SecretRotation for it); ${SECRET_RULE}. ${NO_ROTATION_FIX}`],
            ]);
            const slow = await run(stack(plan, { rules: { automaticallyAfterDays: 180 } }));
            expect(slow).to.deep.equal([
                ["advisory", urnOf(SECRET, "worker-token"), `secret 'worker-token' is rotated by secret rotation 'worker-token-rotation' only every 180 days; ${SECRET_RULE}. ${SCHEDULE_FIX}`],
            ]);
            const someMonths = await run(stack(plan, { rules: { scheduleExpression: "cron(0 4 1 1,7 ? *)" } }));
            expect(someMonths).to.deep.equal([
                [
                    "advisory",
                    urnOf(SECRET, "worker-token"),
                    `secret 'worker-token' is rotated by secret rotation 'worker-token-rotation' on a schedule that cannot be shown to run every 90 days ("cron(0 4 1 1,7 ? *)"); ${SECRET_RULE}. ${SCHEDULE_FIX}`,
                ],
            ]);
        });
    }

    it("links a rotation to its secret by name in plan mode, and honours the team's maximum and exemptions", async () => {
        const byName = stack(true).map((r) => (r.type === ROTATION ? res(ROTATION, r.name, { ...r.props, secretId: "/dev/trace/workers/worker_token" }) : r));
        expect(await run(byName)).to.deep.equal([]);
        expect((await run(byName, { config: { maxSecretRotationDays: 7 } })).map((f) => f[2].split(";")[0])).to.deep.equal([
            "secret 'worker-token' is rotated by secret rotation 'worker-token-rotation' only every 30 days",
        ]);
        const none = stack(true).filter((r) => r.type !== ROTATION);
        expect(await run(none, { config: { exemptions: [{ resource: "worker-token", reason: "third-party key, rotated by its owner's runbook" }] } })).to.deep.equal([]);
    });

    it("defers only when an unknown value could change the verdict", async () => {
        const unknownRotation = await run(stack(false, { key: { enableKeyRotation: U } }));
        expect(unknownRotation).to.deep.equal([
            ["advisory", urnOf(KEY, "secrets-key"), "can't fully check KMS key 'secrets-key' during preview: string value at .enableKeyRotation can't be known during preview; it is checked again when the value is known"],
        ]);
        // Rotation off is definite, whatever the unknown period.
        expect((await run(stack(false, { key: { enableKeyRotation: false, rotationPeriodInDays: U } }))).map((f) => f[0])).to.deep.equal(["advisory"]);
        expect((await run(stack(false, { key: { enableKeyRotation: false, rotationPeriodInDays: U } }))).map((f) => f[2].split(" (")[0])).to.deep.equal([
            "KMS key 'secrets-key' has automatic key rotation off",
        ]);
        // A known schedule within the maximum settles it; a second, unknown schedule cannot unsettle it.
        const second = res(ROTATION, "second", { secretId: U, rotationRules: U }, { secretId: [urnOf(SECRET, "worker-token")] });
        expect(await run([...stack(false), second])).to.deep.equal([]);
        const unknownOnly = await run([...stack(false).filter((r) => r.type !== ROTATION), second]);
        expect(unknownOnly.map((f) => f[2])).to.deep.equal([
            "can't fully check secret 'worker-token' during preview: string value at .rotationRules can't be known during preview; it is checked again when the value is known",
        ]);
    });

    it("reads rotation schedules: days, rate in days or hours, cron every month", () => {
        expect(scheduleDays({ automaticallyAfterDays: 30 })).to.equal(30);
        expect(scheduleDays({ scheduleExpression: "rate(10 days)" })).to.equal(10);
        expect(scheduleDays({ scheduleExpression: "rate(4 hours)" })).to.equal(4 / 24);
        expect(scheduleDays({ scheduleExpression: "cron(0 16 1,15 * ? *)" })).to.equal(31);
        expect(scheduleDays({ scheduleExpression: "cron(0 16 1 */6 ? *)" })).to.equal(undefined);
        expect(scheduleDays({})).to.equal(undefined);
    });

    it("rejects unknown and out-of-range config keys, naming each", async () => {
        const failure = (config: Record<string, unknown>) =>
            runStackPolicy(keysAndSecretsRotated, stack(true), { config }).then(
                () => "resolved",
                (e: Error) => e.message,
            );
        expect(await failure({ maxSecretDays: 90 })).to.contain(
            "invalid config for policy 'keys-and-secrets-rotated': maxSecretDays is not a config key of this policy (its keys: enforcementLevel, exemptions, maxKeyRotationDays, maxSecretRotationDays)",
        );
        expect(await failure({ maxKeyRotationDays: 30 })).to.equal("config for policy 'keys-and-secrets-rotated' is invalid: /maxKeyRotationDays must be >= 90");
        const reader = new ConfigReader(KEYS_AND_SECRETS_ROTATED, { maxSecretRotationDays: 9.5 });
        expect(readInteger(reader, "maxSecretRotationDays", 1, 1000, 90)).to.equal(90);
        expect(reader.problems).to.deep.equal(["maxSecretRotationDays must be a whole number of days from 1 to 1000, got 9.5"]);
        expect(KEYS_AND_SECRETS_ROTATED).to.equal(keysAndSecretsRotated.name);
    });
});
