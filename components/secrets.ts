import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment, OrgSecret, PlatformSecret } from "../config/types";

export interface SecretsArgs {
    readonly environment: Environment;
    readonly platformSecrets: readonly PlatformSecret[];
    readonly orgSecrets: readonly OrgSecret[];
    /** Pulumi refuses to delete the key and the secrets (`protect`); in prod their values exist nowhere else. */
    readonly protectData: boolean;
}

/**
 * Secrets Manager secrets on the two path shapes of DESIGN.md (`/{env}/trace/{component}/{name}` and
 * `/{env}/{org_slug}/{name}`), encrypted with their own KMS key. Only the containers are created: values
 * are put out of band, so no secret value is ever in code, config or state.
 */
export class Secrets extends pulumi.ComponentResource {
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Secret ARNs by secret name (path). */
    readonly arns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:secrets:Secrets", name, {}, opts);
        const guarded = { parent: this, protect: args.protectData };

        const key = new aws.kms.Key(
            `${name}-key`,
            { description: `trace-${args.environment} Secrets Manager secrets`, enableKeyRotation: true, deletionWindowInDays: 30, tags: { Name: `trace-${args.environment}-secrets` } },
            guarded,
        );
        this.kmsKeyArn = key.arn;

        this.arns = {};
        const all = [
            ...args.platformSecrets.map((s) => ({ path: s.path, description: `Platform secret ${s.name} of ${s.component}` })),
            ...args.orgSecrets.map((s) => ({ path: s.path, description: `Org-scoped job secret ${s.name}` })),
        ];
        for (const secret of all) {
            // The path is the logical name too: unique, stable, and readable in a preview.
            const created = new aws.secretsmanager.Secret(
                `${name}${secret.path}`,
                { name: secret.path, description: secret.description, kmsKeyId: key.arn, recoveryWindowInDays: 30, tags: { Name: secret.path } },
                guarded,
            );
            this.arns[secret.path] = created.arn;
        }

        this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, arns: this.arns });
    }
}
