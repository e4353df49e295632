// Providers as the engine handles them: the plugin a provider resource names becomes its inputs, and
// the engine (not the SDK) creates a default provider per package and plugin version.
import * as fs from "fs";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import { synthesizeId } from "./outputs";
import { ChildRequest } from "./protocol";
import { SecretEnvelope } from "./secret-outputs";
import { emptyOptions, PROVIDER_PREFIX, RecordingSession } from "./session";

const DYNAMIC_PROVIDER_PACKAGES = new Set(["pulumi-nodejs", "pulumi-python"]);

/**
 * The plugin version the Node language host reports for a package (GetRequiredPlugins): from the
 * program's installed `@pulumi/<package>` whose package.json marks it as a resource plugin, its
 * `pulumi.version` or else its own version, without a leading "v". Empty when none is installed.
 */
function installedPluginVersion(pkg: string, programDir: string): string {
    try {
        const manifest = JSON.parse(fs.readFileSync(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [programDir] }), "utf8")) as {
            version?: string; pulumi?: { resource?: boolean; version?: string };
        };
        return manifest.pulumi?.resource === true ? (manifest.pulumi.version ?? manifest.version ?? "").replace(/^v/, "") : "";
    } catch {
        return "";
    }
}

function pluginInputs(version: string, pluginDownloadURL: string): Record<string, string> {
    return {
        ...(version === "" ? {} : { version }),
        ...(pluginDownloadURL === "" ? {} : { pluginDownloadURL }),
    };
}

export class Providers {
    private readonly plan: boolean;
    private readonly secretKeys: Set<string>;
    private readonly installedVersions = new Map<string, string>();
    /** "<package>@<version>" -> the default provider's reference. */
    private readonly defaultRefs = new Map<string, string>();

    constructor(
        private readonly req: ChildRequest,
        private readonly session: RecordingSession,
        private readonly envelope: SecretEnvelope,
        private readonly unknownValue: string,
    ) {
        this.plan = req.mode === "plan";
        this.secretKeys = new Set(req.secretKeys);
    }

    // As the engine's RegisterResource for a provider resource: the plugin the SDK asked for becomes
    // its `version` (and `pluginDownloadURL`) inputs, and one that names none gets the plugin the
    // program has installed for that package, as a default provider would.
    pluginInputs(type: string, request: ResourceProto.RegisterResourceRequest): Record<string, string> {
        return pluginInputs(this.pluginVersion(type.slice(PROVIDER_PREFIX.length), request.getVersion()), request.getPlugindownloadurl());
    }

    // The engine, not the SDK, creates a default provider per package and version the first time a
    // resource needs one; its config is the stack's "<package>:*" keys.
    defaultProviderRef(type: string, requestedVersion: string, pluginDownloadURL: string): string {
        const pkg = type.split(":")[0];
        const version = this.pluginVersion(pkg, requestedVersion);
        const key = `${pkg}@${version}`;
        const known = this.defaultRefs.get(key);
        if (known !== undefined) {
            return known;
        }
        const name = version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
        const providerType = PROVIDER_PREFIX + pkg;
        const urn = this.session.urn("", providerType, name);
        const inputs: Record<string, unknown> = { ...this.packageConfig(pkg), ...pluginInputs(version, pluginDownloadURL) };
        const id = this.plan ? synthesizeId(providerType, name, urn, inputs) : undefined;
        this.session.record({
            urn, type: providerType, name, custom: true, id, dependencies: [], propertyDependencies: {},
            inputs, outputs: inputs, options: emptyOptions(),
        });
        const ref = `${urn}::${id ?? this.unknownValue}`;
        this.defaultRefs.set(key, ref);
        return ref;
    }

    // As the engine's Target.GetPackageConfig: a package gets its own namespace's keys without the
    // namespace; a dynamic provider gets every key, namespace kept. Secure values stay secret.
    private packageConfig(pkg: string): Record<string, unknown> {
        const dynamic = DYNAMIC_PROVIDER_PACKAGES.has(pkg);
        const config: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(this.req.config)) {
            if (dynamic || k.startsWith(pkg + ":")) {
                config[dynamic ? k : k.slice(pkg.length + 1)] = this.secretKeys.has(k) ? { [this.envelope.sigKey]: this.envelope.secretSig, value: v } : v;
            }
        }
        return config;
    }

    // As the engine: the plugin version the SDK asked for, else the one the program has installed for
    // the package (read once per package: a package whose SDK sends none would read it per resource).
    private pluginVersion(pkg: string, requested: string): string {
        if (requested !== "") {
            return requested;
        }
        const version = this.installedVersions.get(pkg) ?? installedPluginVersion(pkg, this.req.programDir);
        this.installedVersions.set(pkg, version);
        return version;
    }
}
