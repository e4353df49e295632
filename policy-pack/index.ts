// Entry point the Pulumi CLI runs for `--policy-pack ./policy-pack`: serves every policy, and fails
// Configure on an invalid pack config (see lib/pack-config.ts).

import { PolicyPack } from "@pulumi/policy";

import { serveWithConfigCheck } from "./lib/pack-config";
import { allPolicies } from "./policies";

const PACK_NAME = "trace-network-guardrails";

serveWithConfigCheck(allPolicies, () => new PolicyPack(PACK_NAME, { policies: allPolicies }));
