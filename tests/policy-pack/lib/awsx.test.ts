// The pack matches awsx components by token without loading @pulumi/awsx; each token must be the
// one awsx's own class carries, or the pack would silently stop judging that component.
import * as awsxPackage from "@pulumi/awsx";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { awsx } from "../../../policy-pack/lib/awsx";
import { POLICY_PACK_DIR } from "../../helpers/packages";

describe("policy-pack/lib/awsx: awsx components by token", () => {
    const modules = Object.entries(awsx) as [keyof typeof awsx, Record<string, { __pulumiType: string }>][];

    for (const [module, components] of modules) {
        for (const [name, component] of Object.entries(components)) {
            it(`awsx.${module}.${name} is ${component.__pulumiType}, the token of @pulumi/awsx's class`, () => {
                const real = (awsxPackage[module] as unknown as Record<string, { __pulumiType?: string }>)[name];
                expect(real?.__pulumiType).to.be.a("string");
                expect(component.__pulumiType).to.equal(real.__pulumiType);
            });
        }
    }

    it("no file of the pack loads @pulumi/awsx, and its package.json does not depend on it", () => {
        const sources = (fs.readdirSync(POLICY_PACK_DIR, { recursive: true }) as string[])
            .filter((f) => f.endsWith(".ts") && !f.startsWith("node_modules") && !f.startsWith("dist"));
        const loading = sources.filter((f) => /^import (?!type ).*from "@pulumi\/awsx"|require\("@pulumi\/awsx"\)/m.test(fs.readFileSync(path.join(POLICY_PACK_DIR, f), "utf8")));
        expect(loading).to.deep.equal([]);
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_PACK_DIR, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
        const declared = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((k) => Object.keys(pkg[k] ?? {}));
        expect(declared).not.to.include("@pulumi/awsx");
    });
});
