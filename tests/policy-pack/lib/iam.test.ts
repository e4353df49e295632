import { expect } from "chai";

import { DocumentVerdict, awsManagedPolicyName, secretsAccess } from "../../../policy-pack/lib/iam";
import { isUnknownValueError } from "../../../policy-pack/lib/unknowns";

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("lib/iam", () => {
    it("finds Secrets Manager access through exact actions, wildcards and NotAction; ignores Deny", () => {
        const table: [string, DocumentVerdict, string][] = [
            [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), DocumentVerdict.NoAccess, ""],
            [doc({ Effect: "Deny", Action: "*", Resource: "*" }), DocumentVerdict.NoAccess, ""],
            [doc({ Effect: "Allow", Action: "SecretsManager:getsecretvalue" }), DocumentVerdict.Grants, "Statement[0] allows SecretsManager:getsecretvalue"],
            [doc({ Effect: "Allow", Action: ["s3:*", "*:Get*"] }), DocumentVerdict.Grants, "Statement[0] allows *:Get*"],
            [doc({ Effect: "Allow", Action: "s*" }), DocumentVerdict.Grants, "Statement[0] allows s*"],
            [doc({ Effect: "Allow", NotAction: "secretsmanager:*" }), DocumentVerdict.NoAccess, ""],
            [doc({ Effect: "Allow", NotAction: "s3:*" }), DocumentVerdict.Grants, "Statement[0] allows everything except s3:*, including secretsmanager:BatchGetSecretValue"],
            [JSON.stringify({ Statement: { Effect: "Allow", Action: "secretsmanager:ListSecrets" } }), DocumentVerdict.Grants, "Statement[0] allows secretsmanager:ListSecrets"],
            ["{", DocumentVerdict.Unreadable, ""],
            ["[]", DocumentVerdict.Unreadable, "policy is not a policy document object"],
        ];
        for (const [d, verdict, detail] of table) {
            const res = secretsAccess(d, "policy");
            expect(res.verdict, d).to.equal(verdict);
            if (detail !== "") {
                expect(res.detail, d).to.equal(detail);
            }
        }
    });

    it("throws the library's unknown error for an unknown inside the document", () => {
        let error: unknown;
        try {
            secretsAccess(doc({ Effect: "Allow", Action: [U] }), "policy");
        } catch (e) {
            error = e;
        }
        expect(isUnknownValueError(error)).to.equal(true);
        expect((error as Error).message).to.equal("string value at .policy.Statement.0.Action.0 can't be known during preview");
    });

    it("recognises AWS managed policy ARNs in every partition, and only those", () => {
        expect(
            ["arn:aws:iam::aws:policy/SecretsManagerReadWrite", "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaRole", "arn:aws:iam::123456789012:policy/x"].map(
                awsManagedPolicyName,
            ),
        ).to.deep.equal(["SecretsManagerReadWrite", "AWSLambdaRole", undefined]);
    });
});
