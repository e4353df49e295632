// The resource types the cost section reads are the provider's own tokens: a renamed or misspelt
// token would silently price nothing.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PRICED_TYPES, TYPES } from "../../../tools/cost/inventory";

const AWS_SDK = path.dirname(require.resolve("@pulumi/aws/package.json"));

describe("cost inventory: resource types", () => {
    for (const token of Object.values(TYPES)) {
        it(`${token} is a resource of @pulumi/aws`, () => {
            const module = token.split(":")[1];
            const [dir, file] = module.split("/");
            const source = fs.readFileSync(path.join(AWS_SDK, dir, `${file}.js`), "utf8");
            expect(source).to.include(`__pulumiType = '${token}'`);
        });
    }

    it("prices only types it reads", () => {
        expect([...PRICED_TYPES].every((t) => (Object.values(TYPES) as string[]).includes(t))).to.equal(true);
    });
});
