import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { sharedProcessKey } from "../../../tools/record/reuse";
import { program, REPO_ROOT } from "../helpers";
import { tempDir } from "../../helpers/temp-dir";

describe("recorder: which programs can share a recording process", () => {
    it("lets TypeScript programs without a tsconfig that get the same SDK share one", () => {
        expect(sharedProcessKey({ programDir: program("basic"), typescript: true })).to.equal(sharedProcessKey({ programDir: program("throws"), typescript: true }));
    });

    it("keeps apart a JavaScript program, a program with a tsconfig, and programs that get different SDK copies", () => {
        // A program directory with its own SDK copy, and one below it that gets the same copy and has a tsconfig.
        const ownSdk = tempDir("reuse-sdk-");
        const sdkDir = path.join(ownSdk, "node_modules", "@pulumi", "pulumi");
        fs.mkdirSync(sdkDir, { recursive: true });
        fs.writeFileSync(path.join(sdkDir, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", main: "index.js" }));
        fs.writeFileSync(path.join(sdkDir, "index.js"), "");
        const withTsconfig = path.join(ownSdk, "with-tsconfig");
        fs.mkdirSync(withTsconfig);
        fs.writeFileSync(path.join(withTsconfig, "tsconfig.json"), "{}");
        const keys = [
            sharedProcessKey({ programDir: program("basic"), typescript: true }),
            sharedProcessKey({ programDir: program("basic"), typescript: false }),
            // Pulumi.yaml's runtime.options.tsconfig naming a file that exists (the repository's).
            sharedProcessKey({ programDir: program("basic"), typescript: true, tsconfig: path.relative(program("basic"), path.join(REPO_ROOT, "tsconfig.json")) }),
            sharedProcessKey({ programDir: ownSdk, typescript: true }),
            sharedProcessKey({ programDir: withTsconfig, typescript: true }),
        ];
        expect(new Set(keys).size).to.equal(keys.length);
    });
});
