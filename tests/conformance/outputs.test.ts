// A route whose target is another resource's output (a NAT instance's primaryNetworkInterfaceId): the
// real pack must give the same verdict at preview (the reference is a property dependency) and in
// plan mode (the reference is the instance's known output), as `pulumi preview` and `pulumi up` do.
import { expect } from "chai";
import * as path from "path";
import { PolicyPackServer } from "../../tools/analyze/server";
import { analyzeRecorded, readPackConfigs, startPacks } from "../../tools/analyze";
import { stackContextFor } from "../../tools/project";
import { recordStack, RecordedStack } from "../../tools/record";
import { POLICY_PACK } from "../tools/helpers";
import { conformanceProgram } from "./helpers";

const NAT = conformanceProgram("nat-instance");

describe("conformance: references to outputs give one verdict in preview and plan mode", () => {
    let servers: PolicyPackServer[];
    let recordings: Record<"preview" | "plan", RecordedStack>;

    before(async () => {
        // Each mode is recorded once, for both tests.
        let preview: RecordedStack;
        let plan: RecordedStack;
        [servers, preview, plan] = await Promise.all([
            startPacks(readPackConfigs([{ dir: POLICY_PACK, configFile: path.join(NAT, "reachability-only.json") }]), stackContextFor(NAT, "test", "preview")),
            recordStack({ programDir: NAT, stack: "test", mode: "preview" }),
            recordStack({ programDir: NAT, stack: "test", mode: "plan" }),
        ]);
        recordings = { preview, plan };
    });

    after(() => servers?.forEach((s) => s.close()));

    it("reports the worker's path through the NAT instance in both modes", async () => {
        const verdicts = await Promise.all((["preview", "plan"] as const).map(async (mode) => {
            const recorded = recordings[mode];
            const diagnostics = await analyzeRecorded(recorded.resources, servers);
            const byUrn = new Map(recorded.resources.map((r) => [r.urn, r]));
            return diagnostics.map((d) => [d.policy, d.enforcementLevel, byUrn.get(d.urn)?.name]).sort((a, b) => String(a[2]).localeCompare(String(b[2])));
        }));
        // The NAT box itself has a public IP behind the internet gateway; the worker goes through it.
        expect(verdicts[0]).to.deep.equal([
            ["no-internet-path-from-workloads", "mandatory", "nat-box"],
            ["no-internet-path-from-workloads", "mandatory", "worker"],
        ]);
        expect(verdicts[1]).to.deep.equal(verdicts[0]);
    });

    it("knows the instance's primaryNetworkInterfaceId in plan mode and passes it to the route", () => {
        const plan = recordings.plan;
        const box = plan.resources.find((r) => r.name === "nat-box")!;
        const route = plan.resources.find((r) => r.name === "app-default")!;
        expect(box.outputs.primaryNetworkInterfaceId).to.match(/^eni-0[0-9a-f]{16}$/);
        expect(route.inputs.networkInterfaceId).to.equal(box.outputs.primaryNetworkInterfaceId);
    });
});
