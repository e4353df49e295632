// The program's own @pulumi/pulumi, loaded as the Node language host loads it: only once the stack's
// config and the run's settings are in the environment. This module imports the SDK's types only, so
// loading it loads no SDK copy.
import * as path from "path";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as MocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import { ChildRequest } from "./protocol";
import { SecretEnvelope } from "./secret-outputs";

/** The modules of the program's SDK copy that the recording uses. */
export interface ProgramSdk {
    /** The SDK's package directory. */
    readonly root: string;
    readonly pulumi: typeof PulumiModule;
    readonly MockMonitor: typeof MocksModule.MockMonitor;
    readonly resproto: typeof ResourceProto;
    readonly structproto: typeof StructProto;
    readonly log: { hasErrors(): boolean };
    /** The keys of the SDK's secret envelope (runtime/rpc specialSigKey and specialSecretSig). */
    readonly envelope: SecretEnvelope;
    /** runtime/resource, whose registerResource the recording wraps to learn each resource class. */
    readonly runtimeResource: { registerResource: (...args: unknown[]) => unknown };
    /**
     * Runs `run` with the SDK's runtime state in a new store, as the Automation API runs each inline
     * program (runtime/state withLocalStorage): the store reads the stack's config and settings from
     * the environment when it is made, and the program's registrations stay in it.
     */
    readonly inNewStore: <T>(run: () => Promise<T>) => Promise<T>;
}

/** Puts the stack in the environment, then loads the program's SDK copy, which reads it. */
export function loadProgramSdk(req: ChildRequest): ProgramSdk {
    putStackInEnvironment(req);
    return requireProgramSdk(req.programDir);
}

// The SDK reads these when it makes a runtime state store: the first when it loads, another for each
// later run in the same process (ProgramSdk.inNewStore).
export function putStackInEnvironment(req: ChildRequest): void {
    process.env.PULUMI_CONFIG = JSON.stringify(req.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(req.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = req.project;
    process.env.PULUMI_NODEJS_STACK = req.stack;
    process.env.PULUMI_NODEJS_ORGANIZATION = req.organization;
    process.env.PULUMI_NODEJS_DRY_RUN = String(req.mode === "preview");
    process.env.PULUMI_NODEJS_ROOT_DIRECTORY = req.programDir;
}

/** The SDK copy a program's `require("@pulumi/pulumi")` gets: another team's program brings its own. */
export function programSdkMain(programDir: string): string {
    return require.resolve("@pulumi/pulumi", { paths: [programDir] });
}

function requireProgramSdk(programDir: string): ProgramSdk {
    const sdkMain = programSdkMain(programDir);
    const root = path.dirname(sdkMain);
    const pulumi: typeof PulumiModule = require(sdkMain);
    const { MockMonitor }: typeof MocksModule = require(path.join(root, "runtime", "mocks"));
    const resproto: typeof ResourceProto = require(path.join(root, "proto", "resource_pb"));
    const structproto: typeof StructProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [root] }));
    const log: { hasErrors(): boolean } = require(path.join(root, "log"));
    const rpc: { specialSigKey: string; specialSecretSig: string } = require(path.join(root, "runtime", "rpc"));
    const runtimeResource: ProgramSdk["runtimeResource"] = require(path.join(root, "runtime", "resource"));
    const state: { withLocalStorage<T>(run: () => Promise<T>): Promise<T> } = require(path.join(root, "runtime", "state"));
    return {
        root, pulumi, MockMonitor, resproto, structproto, log,
        envelope: { sigKey: rpc.specialSigKey, secretSig: rpc.specialSecretSig },
        runtimeResource,
        inNewStore: (run) => state.withLocalStorage(run),
    };
}
