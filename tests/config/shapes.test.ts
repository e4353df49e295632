import { expect } from "chai";
import { CONFIG_KEYS, ConfigKey, ConfigType, Environment, KeyDeclaration, PROJECT, REGION_KEY } from "../../config";
import { beAtLeast, imageReference, tag } from "../../config/formats";
import { checkKey, inReferenceOrder, readKeys } from "../../config/shapes";
import { readStackConfig } from "./stack-file";

const keys = Object.keys(CONFIG_KEYS) as ConfigKey[];
const declarationOf = (key: ConfigKey): KeyDeclaration => CONFIG_KEYS[key];

describe("checkKey", () => {
    const port: KeyDeclaration = { type: ConfigType.Integer, range: [1, 65535], description: "A port." };

    it("converts the engine's text to the declared type", () => {
        expect(checkKey(port, "8080")).to.deep.equal({ typed: 8080, faults: [] });
        expect(checkKey({ type: ConfigType.Boolean, description: "A flag." }, "false")).to.deep.equal({ typed: false, faults: [] });
        expect(checkKey({ type: ConfigType.IntegerArray, range: [1, 65535], description: "Ports." }, "[443, 8443]")).to.deep.equal({ typed: [443, 8443], faults: [] });
    });

    it("names the declared range, for a number out of it and for text that is no number alike", () => {
        expect(checkKey(port, "0").faults).to.deep.equal([{ value: "0", message: "must be an integer from 1 to 65535" }]);
        expect(checkKey(port, "http").faults).to.deep.equal([{ value: "http", message: "must be an integer from 1 to 65535" }]);
    });

    it("asks for a required key with its description and gives an optional one its default", () => {
        expect(checkKey(port, undefined).faults).to.deep.equal([{ value: undefined, message: "is required: A port." }]);
        expect(checkKey({ ...port, optional: true, default: 443 }, undefined)).to.deep.equal({ typed: 443, faults: [] });
        expect(checkKey({ ...port, optional: true }, undefined)).to.deep.equal({ typed: undefined, faults: [] });
    });

    it("checks a list's length, each item's format and repeats, naming the item when one item is at fault", () => {
        const tags: KeyDeclaration = {
            type: ConfigType.StringArray,
            minItems: { count: 2, noun: "tag" },
            itemFormat: tag(["aws:"]),
            unique: true,
            description: "Tags.",
        };
        const value = JSON.stringify(["a=1", "a=1"]);
        expect(checkKey(tags, value)).to.deep.equal({
            typed: ["a=1", "a=1"],
            faults: [
                { value: "a=1", message: 'tag key "a" is given more than once' },
                { value, message: 'lists "a=1" more than once' },
            ],
        });
        expect(checkKey(tags, '["a=1"]').faults).to.deep.equal([{ value: '["a=1"]', message: "needs at least 2 tags, got 1" }]);
        expect(checkKey({ ...tags, minItems: { count: 1, noun: "tag", why: "untagged is unowned" } }, "[]").faults).to.deep.equal([
            { value: "[]", message: "must list at least one tag; untagged is unowned" },
        ]);
    });

    it("applies what an environment requires only in that environment and only to a well-formed value", () => {
        const days: KeyDeclaration = { type: ConfigType.Integer, range: [0, 35], requiredIn: { [Environment.Prod]: beAtLeast(7) }, description: "Days." };
        expect(checkKey(days, "3", Environment.Prod)).to.deep.equal({ typed: 3, faults: [{ value: "3", message: "must be at least 7 in prod" }] });
        expect(checkKey(days, "3", Environment.Staging).faults).to.deep.equal([]);
        expect(checkKey(days, "3").faults).to.deep.equal([]);
        expect(checkKey(days, "40", Environment.Prod).faults).to.deep.equal([{ value: "40", message: "must be an integer from 0 to 35" }]);
    });
});

describe("readKeys", () => {
    it("asks for every required key left out, with its description, in declaration order, and for the region", () => {
        const { problems, typed, valid } = readKeys({});
        const required = keys.filter((key) => declarationOf(key).optional !== true);
        expect(problems.map((p) => p.key)).to.deep.equal([REGION_KEY, ...required.map((key) => `${PROJECT}:${key}`)]);
        expect(problems.slice(1).map((p) => p.message)).to.deep.equal(required.map((key) => `is required: ${declarationOf(key).description}`));
        expect(typed).to.deep.equal(valid);
        expect(valid).to.deep.include({ dataTierS3Endpoint: true, gatewayTaskCount: 1, tags: [], interfaceEndpoints: CONFIG_KEYS.interfaceEndpoints.default });
    });

    it("refuses a value of no shape at all in every key, each with its own type's or format's message", () => {
        const { problems } = readKeys(Object.fromEntries(keys.map((key) => [`${PROJECT}:${key}`, "??"])));
        const expected = keys.map((key) => {
            const declaration = declarationOf(key);
            switch (declaration.type) {
                case ConfigType.String:
                    return declaration.format("??")[0];
                case ConfigType.Integer:
                    return `must be an integer from ${declaration.range[0]} to ${declaration.range[1]}`;
                case ConfigType.Boolean:
                    return "must be true or false";
                default:
                    return "must be a list (a YAML sequence in the stack file)";
            }
        });
        expect(problems.slice(1).map((p) => [p.key, p.message])).to.deep.equal(keys.map((key, i) => [`${PROJECT}:${key}`, expected[i]]));
        expect(expected.every((message) => message !== undefined)).to.equal(true);
    });

    it("keeps a value of the right type but the wrong format for rules between keys, and out of the valid values", () => {
        const { typed, valid, problems } = readKeys({ ...readStackConfig("dev"), [`${PROJECT}:availabilityZones`]: '["eu-west-1a"]' });
        expect(problems).to.have.length(1);
        expect(typed.availabilityZones).to.deep.equal(["eu-west-1a"]);
        expect(valid.availabilityZones).to.equal(undefined);
    });

    it("holds the prod stack's images to the prod requirement and the dev stack's not", () => {
        const tagged = "ghcr.io/trace/rpc-egress:1.2";
        expect(imageReference(tagged)).to.deep.equal([]);
        for (const environment of [Environment.Dev, Environment.Prod]) {
            const { problems } = readKeys({ ...readStackConfig(environment), [`${PROJECT}:rpcGatewayImage`]: tagged });
            expect(problems.map((p) => p.message)).to.deep.equal(environment === Environment.Prod ? ["must be pinned by digest in prod: append @sha256:<digest>"] : []);
        }
    });
});

describe("inReferenceOrder", () => {
    it("lists unknown keys, then the region, then the keys as declared, and keeps the order of one key's problems", () => {
        const problem = (key: string, message = "x") => ({ key, value: undefined, message });
        const shuffled = [
            problem(`${PROJECT}:tags`),
            problem(`${PROJECT}:vpcCidr`, "own shape"),
            problem(REGION_KEY),
            problem(`${PROJECT}:vpcCidr`, "between keys"),
            problem(`${PROJECT}:environment`),
            problem(`${PROJECT}:vpcCidrs`),
        ];
        expect(inReferenceOrder(shuffled)).to.deep.equal([
            problem(`${PROJECT}:vpcCidrs`),
            problem(REGION_KEY),
            problem(`${PROJECT}:environment`),
            problem(`${PROJECT}:vpcCidr`, "own shape"),
            problem(`${PROJECT}:vpcCidr`, "between keys"),
            problem(`${PROJECT}:tags`),
        ]);
    });
});
