// Every policy of the pack, in DESIGN.md order. Importing this list never starts the analyzer
// server (index.ts does), so tests and tools can inspect and run the policies in-process.

import { Policies } from "@pulumi/policy";

import { noNatGateways } from "./no-nat-gateways";

export const allPolicies: Policies = [noNatGateways];
