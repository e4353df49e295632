import { expect } from "chai";
import { Secrets } from "../../components/secrets";
import { Environment, SECRET_SEGMENT } from "../../config";
import { countByType, MockedResource, ofType, recordComponents } from "../helpers/program-mocks";

function build(): void {
    new Secrets("trace", {
        environment: Environment.Prod,
        platformSecrets: [
            { component: "workers", name: "worker_token", path: "/prod/trace/workers/worker_token" },
            { component: "block_follower", name: "monad_rpc_key", path: "/prod/trace/block_follower/monad_rpc_key" },
        ],
        orgSecrets: [{ name: "monad_rpc_key", path: "/prod/acme/monad_rpc_key" }],
        protectData: true,
    });
}

describe("Secrets", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await recordComponents(build);
    });

    it("creates one KMS key and one secret per declared path, and never a secret version", async () => {
        expect(countByType(resources)).to.deep.equal({
            "aws:kms/key:Key": 1,
            "aws:secretsmanager/secret:Secret": 3,
            "trace:secrets:Secrets": 1,
        });
    });

    it("names each secret by its full path, encrypts it with the key, and holds no value", async () => {
        const secrets = ofType(resources, "aws:secretsmanager/secret:Secret");
        expect(secrets.map((s) => s.inputs.name)).to.deep.equal(["/prod/trace/workers/worker_token", "/prod/trace/block_follower/monad_rpc_key", "/prod/acme/monad_rpc_key"]);
        for (const secret of secrets) {
            expect(secret.inputs.kmsKeyId).to.equal("arn:aws:mock:::aws:kms/key:Key/trace-key");
            expect(secret.inputs.namePrefix).to.equal(undefined);
            expect(secret.inputs.secretString).to.equal(undefined);
            const segments = secret.inputs.name.split("/").slice(1);
            expect(segments[0]).to.equal("prod");
            expect(segments.every((s: string) => SECRET_SEGMENT.test(s)), secret.inputs.name).to.equal(true);
        }
    });
});
