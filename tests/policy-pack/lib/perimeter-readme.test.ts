import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { PERIMETER_CATALOGUE, PERIMETER_LEFT_OUT } from "../../../policy-pack/lib/perimeter-catalogue";
import { BEGIN, END, renderPerimeterTables, withPerimeterTables } from "../../../policy-pack/lib/perimeter-readme";

const README = path.resolve(__dirname, "../../../policy-pack/README.md");

describe("perimeter README tables", () => {
    it("are in the pack README exactly as rendered from the catalogue (npm run readme:perimeter)", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(withPerimeterTables(readme)).to.equal(readme);
        expect(readme).to.include(renderPerimeterTables());
    });

    it("have one row per entry and per service left out, with the default and the unsafe values", () => {
        const rows = renderPerimeterTables().split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
        expect(rows.length).to.equal(PERIMETER_CATALOGUE.length + PERIMETER_LEFT_OUT.length + 2);
        expect(rows).to.include(
            '| SageMaker | `aws:sagemaker/notebookInstance:NotebookInstance` | `directInternetAccess` | anything but `"Disabled"` | `"Enabled"` | `compute-inside-perimeter` | inputs; subnets in `subnetId` of a private tier |',
        );
        expect(rows).to.include(
            "| SageMaker | `aws:sagemaker/model:Model` | `vpcConfig` | `vpcConfig` unset or empty (not when `enableNetworkIsolation` is `true`) | unset | `compute-inside-perimeter` | inputs; subnets in `vpcConfig.subnets` of a private tier |",
        );
        expect(rows).to.include(
            '| awsx | `awsx:lb:NetworkLoadBalancer` | `internal` | anything but `true` | `false` | `load-balancers-internal-only` | inputs, when its children are absent |',
        );
    });

    it("cannot be updated in a README without the markers", () => {
        expect(withPerimeterTables("# a README\n")).to.equal(undefined);
        expect(withPerimeterTables(`${BEGIN}\nold\n${END}\n`)).to.equal(`${renderPerimeterTables()}\n`);
    });
});
