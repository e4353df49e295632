// The engine marks a resource's `additionalSecretOutputs` secret in its state once the step ran
// (pkg/resource/deploy/step_executor.go), so the program gets them back as secrets and analyzers see
// them wrapped; `id` can never be secret. A mock monitor answers with plain outputs, so the recorder
// applies the same marking. No imports: the recording child passes the envelope keys of the
// program's own SDK copy.

export interface SecretEnvelope {
    /** `specialSigKey` of @pulumi/pulumi/runtime/rpc. */
    readonly sigKey: string;
    /** `specialSecretSig` of @pulumi/pulumi/runtime/rpc. */
    readonly secretSig: string;
}

export function markSecretOutputs(outputs: Record<string, unknown>, additionalSecretOutputs: readonly string[], envelope: SecretEnvelope): Record<string, unknown> {
    const out = { ...outputs };
    for (const key of additionalSecretOutputs) {
        const v = out[key];
        const already = typeof v === "object" && v !== null && (v as Record<string, unknown>)[envelope.sigKey] === envelope.secretSig;
        if (key !== "id" && v !== undefined && !already) {
            out[key] = { [envelope.sigKey]: envelope.secretSig, value: v };
        }
    }
    return out;
}
