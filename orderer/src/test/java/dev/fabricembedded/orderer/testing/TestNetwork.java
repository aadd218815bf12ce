package dev.fabricembedded.orderer.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Organisations made by the msp module's dev CA (two application organisations and an orderer organisation, all
 * with NodeOUs) and helpers to build channel profiles and signed envelopes as a Fabric client would. Generated once
 * per JVM: key generation is the expensive part of the tests.
 */
public final class TestNetwork {

    private static final TestNetwork INSTANCE = new TestNetwork();

    public final Organization org1 = Organization.generate("Org1MSP", "org1.example.com");
    public final Organization org2 = Organization.generate("Org2MSP", "org2.example.com");
    public final Organization ordererOrg = Organization.generate("OrdererMSP", "example.com");
    public final Organization outsider = Organization.generate("OutsiderMSP", "outsider.example.com");
    private final SecureRandom random = new SecureRandom();

    private TestNetwork() {
    }

    public static TestNetwork get() {
        return INSTANCE;
    }

    /** A profile with Org1 and Org2 as application organisations and OrdererMSP as orderer organisation. */
    public ChannelProfile.Builder profile(String channelId) {
        return ChannelProfile.builder(channelId)
                .applicationOrganization(org1.mspConfig())
                .applicationOrganization(org2.mspConfig())
                .ordererOrganization(ordererOrg.mspConfig());
    }

    /** A profile with the given batch settings. */
    public ChannelProfile profile(String channelId, BatchSettings settings) {
        return profile(channelId).batchSettings(settings).build();
    }

    /** The orderer node's signing identity. */
    public SigningIdentity ordererSigner() {
        return ordererOrg.signer(NodeRole.ORDERER);
    }

    /** Org1's client (a channel Writer). */
    public SigningIdentity client() {
        return org1.signer(NodeRole.CLIENT);
    }

    /** An endorser transaction envelope of a channel, signed by {@code signer}, whose data is {@code dataBytes} long. */
    public Envelope envelope(String channelId, SigningIdentity signer, int dataBytes) {
        return envelope(channelId, signer, dataBytes, HeaderType.ENDORSER_TRANSACTION);
    }

    /** An envelope of the given header type. */
    public Envelope envelope(String channelId, SigningIdentity signer, int dataBytes, HeaderType type) {
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        ByteString creator = signer.serialized();
        String txId = HexFormat.of().formatHex(Sha256.digest(nonce, creator.toByteArray()));
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(channelId)
                .setTxId(txId).setTimestamp(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000))
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creator)
                .setNonce(ByteString.copyFrom(nonce)).build();
        byte[] data = new byte[dataBytes];
        random.nextBytes(data);
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString()).setSignatureHeader(signatureHeader.toByteString()))
                .setData(ByteString.copyFrom(data)).build();
        ByteString payloadBytes = payload.toByteString();
        return Envelope.newBuilder().setPayload(payloadBytes)
                .setSignature(ByteString.copyFrom(signer.sign(payloadBytes.toByteArray()))).build();
    }

    /** The channel header tx id of an envelope. */
    public static String txId(Envelope envelope) {
        try {
            return ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader())
                    .getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
