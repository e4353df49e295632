// Which programs can be recorded one after another in the same process. The first run loads the
// program's SDK copy and registers ts-node for it; neither can be swapped afterwards, so a later
// program must get the same SDK from its `require("@pulumi/pulumi")` and need the same registration:
// plain JavaScript, or TypeScript under the same tsconfig file (or none).
import * as fs from "fs";
import * as path from "path";
import type { ChildRequest } from "./protocol";
import { programSdkMain } from "./sdk";

export function sharedProcessKey(req: Pick<ChildRequest, "programDir" | "typescript" | "tsconfig">): string {
    const sdk = programSdkMain(req.programDir);
    if (!req.typescript) {
        return `${sdk} javascript`;
    }
    const tsconfig = path.resolve(req.programDir, req.tsconfig ?? "tsconfig.json");
    return `${sdk} typescript ${fs.existsSync(tsconfig) ? tsconfig : "without tsconfig"}`;
}
