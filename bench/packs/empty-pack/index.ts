import { PolicyPack } from "@pulumi/policy";

new PolicyPack("empty-pack", { policies: [] });
