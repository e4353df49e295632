// `npm run readme:perimeter`: rewrites the perimeter tables of policy-pack/README.md from the catalogue.

import * as fs from "fs";
import * as path from "path";

import { BEGIN, END, withPerimeterTables } from "../lib/perimeter-readme";

const file = path.join(__dirname, "..", "README.md");
const updated = withPerimeterTables(fs.readFileSync(file, "utf8"));
if (updated === undefined) {
    console.error(`${file} has no perimeter block: add the lines\n${BEGIN}\n${END}\nwhere the tables belong, then run this again.`);
    process.exit(1);
}
fs.writeFileSync(file, updated);
console.log(`updated the perimeter tables of ${file}`);
