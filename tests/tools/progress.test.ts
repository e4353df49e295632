import { expect } from "chai";
import { ProgressDisplay } from "../../tools/progress";

function display(live: boolean): { shown: () => string; d: ProgressDisplay } {
    let text = "";
    return { shown: () => text, d: new ProgressDisplay({ live, write: (t) => (text += t) }) };
}

describe("progress on stderr", () => {
    it("prints plain lines outside a terminal: each phase once, analysis in quarters and at the end", () => {
        const { shown, d } = display(false);
        d.start("shop", "dev", "preview");
        d.onEvent({ kind: "pack-starting", dir: process.cwd() + "/policy-pack" });
        d.onEvent({ kind: "recording", registered: 1 });
        d.onEvent({ kind: "recording", registered: 2 });
        d.onEvent({ kind: "type-checked", outcome: "cached" });
        d.onEvent({ kind: "pack-ready", dir: "x", name: "guard", version: "1.0.0" });
        d.onEvent({ kind: "recorded", resources: 7 });
        for (let i = 1; i <= 8; i++) {
            d.onEvent({ kind: "analyzing", done: i, total: 8 });
        }
        d.finish();
        expect(shown().split("\n")).to.deep.equal([
            "Previewing shop/dev offline (preview mode)",
            "starting policy pack policy-pack",
            "running the program: 1 resource registered",
            "program type check: passed (unchanged since the last check)",
            "policy pack guard@v1.0.0 ready",
            "program recorded: 7 resources (with the stack and default providers)",
            "analysis 2/8",
            "analysis 4/8",
            "analysis 6/8",
            "analysis 8/8",
            "",
        ]);
    });

    it("rewrites one line in place on a terminal and clears it before the report", () => {
        const { shown, d } = display(true);
        d.start("shop", "dev", "plan");
        d.onEvent({ kind: "recorded", resources: 3 });
        d.finish();
        expect(shown()).to.equal("\r\x1b[KPreviewing shop/dev offline (plan mode)\r\x1b[Kprogram recorded: 3 resources (with the stack and default providers)\r\x1b[K");
        expect(shown()).to.not.include("\n");
    });
});
