// How a policy pack failed, which the CLI names in its message: the pack did not load, or a policy failed while analyzing.
export enum AnalyzerErrorKind {
    PackLoad = "pack-load",
    Analyze = "analyze",
}

export class AnalyzerError extends Error {
    constructor(readonly kind: AnalyzerErrorKind, message: string) {
        super(message);
        this.name = "AnalyzerError";
    }
}
