package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.fabricembedded.endorser.proposal.ProposalValidation.Code;
import static org.assertj.core.api.Assertions.assertThat;

class ProposalValidatorTest {

    private static final String CHANNEL = "mychannel";
    /** A length-delimited field whose length runs past the end: no protobuf parser accepts it. */
    private static final ByteString GARBAGE = ByteString.copyFrom(new byte[] {0x0a, 0x05, 0x01});

    private static Organization org1;
    private static Organization org2;
    private static Organization org3;
    private static SigningIdentity client1;
    private static ProposalValidator validator;

    @BeforeAll
    static void channel() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        org2 = Organization.generate("Org2MSP", "org2.example.com");
        org3 = Organization.generate("Org3MSP", "org3.example.com");
        client1 = org1.signer(NodeRole.CLIENT);
        final Map<String, IdentityDeserializer> channels = Map.of(CHANNEL, MspManager.of(org1.msp(), org2.msp()),
                "revoking", MspManager.of(Msp.create(org1.mspConfigWithCrls(org1.ca().revoke(org1.client())))));
        validator = new ProposalValidator(org1.msp(), id -> Optional.ofNullable(channels.get(id)));
    }

    private static ProposalBuilder invoke() {
        return ProposalBuilder.invoke(CHANNEL, "mycc").args("query", "a");
    }

    private static void assertFails(final SignedProposal signed, final Code code, final String message) {
        final ProposalValidation result = validator.validate(signed);
        assertThat(result.code()).as(result.toString()).isEqualTo(code);
        assertThat(result.message()).isEqualTo(message);
        assertThat(result.proposal()).isNull();
    }

    private static void assertFailsStartingWith(final SignedProposal signed, final Code code, final String prefix) {
        final ProposalValidation result = validator.validate(signed);
        assertThat(result.code()).as(result.toString()).isEqualTo(code);
        assertThat(result.message()).startsWith(prefix).hasSizeGreaterThan(prefix.length());
    }

    @Test
    void aWellFormedProposalValidatesWithItsParsedParts() {
        final ClientProposal built = invoke().build(client1);
        final ProposalValidation result = validator.validate(built.signedProposal());
        assertThat(result.isValid()).as(result.toString()).isTrue();
        final ValidatedProposal proposal = result.proposal();
        assertThat(proposal.txId()).isEqualTo(built.txId());
        assertThat(proposal.channelId()).isEqualTo(CHANNEL);
        assertThat(proposal.chaincodeName()).isEqualTo("mycc");
        assertThat(proposal.creator().mspId()).isEqualTo("Org1MSP");
        assertThat(proposal.creator().serialized()).isEqualTo(client1.serialized());
        assertThat(proposal.header()).isEqualTo(built.header());
        assertThat(proposal.signedData()).containsExactly(new SignedData(built.signedProposal().getProposalBytes(),
                client1.serialized(), built.signedProposal().getSignature()));
    }

    @Test
    void check1NoSignedProposal() {
        assertFails(null, Code.NIL_ARGUMENTS, "nil arguments");
    }

    @Test
    void check2ProposalBytesThatAreNotAProposal() {
        assertFailsStartingWith(Tampering.signed(client1, GARBAGE), Code.BAD_PROPOSAL, "error unmarshaling Proposal: ");
    }

    @Test
    void check3HeaderThatIsNotAHeader() {
        assertFailsStartingWith(Tampering.withHeader(client1, invoke().build(client1), GARBAGE), Code.BAD_HEADER,
                "error unmarshaling Header: ");
    }

    @Test
    void check4ChannelHeaderThenSignatureHeaderMustParse() {
        final ClientProposal built = invoke().build(client1);
        final Header badChannelHeader = built.header().toBuilder().setChannelHeader(GARBAGE).build();
        assertFailsStartingWith(Tampering.withHeader(client1, built, badChannelHeader.toByteString()),
                Code.BAD_CHANNEL_HEADER, "error unmarshaling ChannelHeader: ");
        final Header badSignatureHeader = built.header().toBuilder().setSignatureHeader(GARBAGE).build();
        assertFailsStartingWith(Tampering.withHeader(client1, built, badSignatureHeader.toByteString()),
                Code.BAD_SIGNATURE_HEADER, "error unmarshaling SignatureHeader: ");
        final Header both = built.header().toBuilder().setChannelHeader(GARBAGE).setSignatureHeader(GARBAGE).build();
        assertFailsStartingWith(Tampering.withHeader(client1, built, both.toByteString()), Code.BAD_CHANNEL_HEADER,
                "error unmarshaling ChannelHeader: ");
    }

    @Test
    void check5HeaderTypeMustBeOneThatProposalsMayCarry() {
        assertFails(invoke().headerType(HeaderType.MESSAGE_VALUE).build(client1).signedProposal(),
                Code.INVALID_HEADER_TYPE, "invalid header type MESSAGE");
        assertFails(invoke().headerType(4 /* ORDERER_TRANSACTION */).build(client1).signedProposal(),
                Code.INVALID_HEADER_TYPE, "invalid header type ORDERER_TRANSACTION");
        assertFails(invoke().headerType(42).build(client1).signedProposal(),
                Code.INVALID_HEADER_TYPE, "invalid header type 42");
    }

    @Test
    void check6EpochMustBeZero() {
        assertFails(invoke().epoch(1).build(client1).signedProposal(), Code.INVALID_EPOCH,
                "invalid Epoch in ChannelHeader. Expected 0, got [1]");
        assertFails(invoke().epoch(-1).build(client1).signedProposal(), Code.INVALID_EPOCH,
                "invalid Epoch in ChannelHeader. Expected 0, got [18446744073709551615]");
    }

    @Test
    void check7NonceMustNotBeEmpty() {
        assertFails(invoke().nonce(ByteString.EMPTY).build(client1).signedProposal(), Code.INVALID_NONCE,
                "invalid nonce specified in the header");
    }

    @Test
    void check8CreatorMustNotBeEmpty() {
        final ClientProposal built = invoke().build(client1);
        final SignatureHeader noCreator = built.signatureHeader().toBuilder().setCreator(ByteString.EMPTY).build();
        final Header header = built.header().toBuilder().setSignatureHeader(noCreator.toByteString()).build();
        assertFails(Tampering.withHeader(client1, built, header.toByteString()), Code.INVALID_CREATOR,
                "invalid creator specified in the header");
    }

    @Test
    void check9TamperedSignatureOrPayloadIsAccessDeniedWithTheGenericText() throws Exception {
        final SignedProposal signed = invoke().build(client1).signedProposal();
        assertFails(Tampering.flipSignatureBit(signed), Code.ACCESS_DENIED,
                "access denied: channel [mychannel] creator org [Org1MSP]");
        assertFails(Tampering.alterPayload(signed), Code.ACCESS_DENIED,
                "access denied: channel [mychannel] creator org [Org1MSP]");
        assertFails(signed.toBuilder().setSignature(ByteString.EMPTY).build(), Code.ACCESS_DENIED,
                "access denied: channel [mychannel] creator org [Org1MSP]");
    }

    @Test
    void check9UnknownChannelLooksLikeAnyOtherAccessDenial() {
        assertFails(ProposalBuilder.invoke("nochannel", "mycc").args("query", "a").build(client1).signedProposal(),
                Code.ACCESS_DENIED, "access denied: channel [nochannel] creator org [Org1MSP]");
    }

    @Test
    void check9CreatorFromAnOrganisationNotOnTheChannel() {
        assertFails(invoke().build(org3.signer(NodeRole.CLIENT)).signedProposal(), Code.ACCESS_DENIED,
                "access denied: channel [mychannel] creator org [Org3MSP]");
    }

    @Test
    void check9RevokedCreatorIsNotValid() {
        assertFails(ProposalBuilder.invoke("revoking", "mycc").args("query", "a").build(client1).signedProposal(),
                Code.ACCESS_DENIED, "access denied: channel [revoking] creator org [Org1MSP]");
        final ProposalValidation admin = validator.validate(ProposalBuilder.invoke("revoking", "mycc")
                .args("query", "a").build(org1.signer(NodeRole.ADMIN)).signedProposal());
        assertThat(admin.isValid()).as(admin.toString()).isTrue();
    }

    @Test
    void check9ChannelLessProposalsAreCheckedByTheLocalMsp() {
        final ProposalValidation local = validator.validate(
                ProposalBuilder.install(ByteString.copyFromUtf8("pkg")).build(org1.signer(NodeRole.ADMIN))
                        .signedProposal());
        assertThat(local.isValid()).as(local.toString()).isTrue();
        assertThat(local.proposal().channelId()).isEmpty();
        assertFails(ProposalBuilder.install(ByteString.copyFromUtf8("pkg")).build(org2.signer(NodeRole.ADMIN))
                .signedProposal(), Code.ACCESS_DENIED, "access denied: channel [] creator org [Org2MSP]");
    }

    @Test
    void check9CreatorThatIsNotASerializedIdentityHasNoOrg() {
        final ClientProposal built = invoke().build(client1);
        final SignatureHeader garbageCreator = built.signatureHeader().toBuilder().setCreator(GARBAGE).build();
        final Header header = built.header().toBuilder().setSignatureHeader(garbageCreator.toByteString()).build();
        assertFails(Tampering.withHeader(client1, built, header.toByteString()), Code.ACCESS_DENIED,
                "access denied: channel [mychannel] creator org []");
    }

    @Test
    void check10TxIdMustBeTheHashOfNonceAndCreator() {
        final ClientProposal honest = invoke().build(client1);
        final ClientProposal forged = invoke().nonce(honest.nonce()).txId("abc").build(client1);
        assertFails(forged.signedProposal(), Code.INVALID_TXID,
                "invalid txid. got [abc], expected [" + honest.txId() + "]");
        // someone else's txid: the same nonce under another creator gives another id
        final ClientProposal stolen = invoke().nonce(honest.nonce()).txId(honest.txId())
                .build(org1.signer(NodeRole.ADMIN));
        assertThat(validator.validate(stolen.signedProposal()).code()).isEqualTo(Code.INVALID_TXID);
    }

    @Test
    void checksRunInFabricsOrder() throws Exception {
        // epoch (6) before signature (9) before txid (10) before type switch (11) before extension (12-14)
        assertThat(validator.validate(Tampering.flipSignatureBit(invoke().epoch(1).txId("x").build(client1)
                .signedProposal())).code()).isEqualTo(Code.INVALID_EPOCH);
        assertThat(validator.validate(Tampering.flipSignatureBit(invoke().txId("x").build(client1)
                .signedProposal())).code()).isEqualTo(Code.ACCESS_DENIED);
        assertThat(validator.validate(invoke().txId("x").headerType(HeaderType.CONFIG_UPDATE_VALUE)
                .build(client1).signedProposal()).code()).isEqualTo(Code.INVALID_TXID);
        final ClientProposal built = invoke().headerType(HeaderType.CONFIG_UPDATE_VALUE).build(client1);
        assertThat(validator.validate(Tampering.withChannelHeader(client1, built, h -> h.setExtension(GARBAGE)))
                .code()).isEqualTo(Code.UNSUPPORTED_PROPOSAL_TYPE);
    }

    @Test
    void check11OnlyConfigAndEndorserTransactionsCarryChaincode() {
        assertFails(invoke().headerType(HeaderType.CONFIG_UPDATE_VALUE).build(client1).signedProposal(),
                Code.UNSUPPORTED_PROPOSAL_TYPE, "unsupported proposal type 2");
        assertFails(invoke().headerType(9).build(client1).signedProposal(),
                Code.UNSUPPORTED_PROPOSAL_TYPE, "unsupported proposal type 9");
        final ProposalValidation config = validator.validate(invoke().headerType(HeaderType.CONFIG_VALUE)
                .build(client1).signedProposal());
        assertThat(config.isValid()).as("CONFIG falls through to the chaincode checks: " + config).isTrue();
    }

    @Test
    void check12HeaderExtensionMustParse() {
        final ClientProposal built = invoke().build(client1);
        assertFails(Tampering.withChannelHeader(client1, built, h -> h.setExtension(GARBAGE)),
                Code.INVALID_HEADER_EXTENSION, "invalid header extension for type CHAINCODE");
    }

    @Test
    void check13HeaderExtensionMustNameAChaincode() {
        final ClientProposal built = invoke().build(client1);
        assertFails(Tampering.withChannelHeader(client1, built, h -> h.setExtension(ByteString.EMPTY)),
                Code.NIL_CHAINCODE_ID, "ChaincodeHeaderExtension.ChaincodeId is nil");
    }

    @Test
    void check14AnyPayloadVisibilityIsRejectedEvenAnEmptyOne() {
        assertFails(invoke().payloadVisibility(ByteString.copyFromUtf8("hash")).build(client1).signedProposal(),
                Code.INVALID_PAYLOAD_VISIBILITY, "invalid payload visibility field");
        assertFails(invoke().payloadVisibility(ByteString.EMPTY).build(client1).signedProposal(),
                Code.INVALID_PAYLOAD_VISIBILITY, "invalid payload visibility field");
    }
}
