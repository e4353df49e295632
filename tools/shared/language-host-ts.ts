// What @pulumi/pulumi/cmd/run/run.js hands ts-node (CommonJS branch), shared by the recording child,
// which only transpiles, and the type-check child, which checks: both must see the same options.

/** The SDK's own tsutils module (`@pulumi/pulumi/tsutils`), loaded from the program's SDK. */
export interface TsUtils {
    loadTypeScriptCompilerOptions(tsConfigPath: string): Record<string, unknown>;
    typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string };
}

export interface TsNodeSetup {
    /** The typescript module ts-node is to use (the program's own, or the SDK's vendored copy). */
    typescriptRequire: string;
    /** Its version: `nodenext` from TypeScript 4.7 on, `commonjs`/`node` before. */
    typescriptVersion: string;
    tsConfigPath: string;
    /** No tsconfig at tsConfigPath: ts-node is not to look for one. */
    skipProject: boolean;
    /** The project's compiler options, laid over the language host's defaults. */
    compilerOptions: Record<string, unknown>;
}

/** ts-node's options as the language host builds them; transpile only, the check has its own process. */
export function languageHostTsNodeOptions(setup: TsNodeSetup): Record<string, unknown> {
    const [major, minor] = setup.typescriptVersion.split(".").map(Number);
    const useNodeNext = major > 4 || (major === 4 && minor >= 7);
    return {
        compiler: setup.typescriptRequire,
        transpileOnly: true,
        project: setup.tsConfigPath,
        skipProject: setup.skipProject,
        compilerOptions: {
            target: "ES2020",
            module: useNodeNext ? "nodenext" : "commonjs",
            moduleResolution: useNodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...setup.compilerOptions,
        },
    };
}
