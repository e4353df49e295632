// Entry point the Pulumi CLI runs for `--policy-pack ./policy-pack`: serves every policy.

import { PolicyPack } from "@pulumi/policy";

import { allPolicies } from "./policies";

const PACK_NAME = "trace-network-guardrails";

new PolicyPack(PACK_NAME, { policies: allPolicies });
