package dev.fabricembedded.orderer.msgprocessor;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.OrdererCapabilities;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The standard channel filters of §5.2, in Fabric's order. */
class RuleSetTest {

    private final TestNetwork net = TestNetwork.get();
    private final ChannelConfig config = ChannelConfig.fromGenesisBlock(net.profile("rules",
            BatchSettings.EMBEDDED_DEFAULT.withPreferredMaxBytes(1000).withAbsoluteMaxBytes(2000)).genesisBlock());
    private final RuleSet rules = RuleSet.standardChannel(config, Clock.systemUTC(), true);

    @Test
    void standardRulesAreFabricsInOrder() {
        assertThat(rules.rules()).hasSize(4);
        assertThat(rules.rules().get(0)).isInstanceOf(EmptyRejectRule.class);
        assertThat(rules.rules().get(1)).isInstanceOf(MaxBytesRule.class);
        assertThat(rules.rules().get(2)).isInstanceOf(ExpirationRejectRule.class);
        assertThat(rules.rules().get(3)).isInstanceOf(SigFilter.class);
        assertThat(RuleSet.standardChannel(config, Clock.systemUTC(), false).rules()).hasSize(3);
        ChannelConfig noExpiryCapability = ChannelConfig.fromGenesisBlock(net.profile("noexp")
                .ordererCapabilities(OrdererCapabilities.of()).build().genesisBlock());
        assertThat(RuleSet.standardChannel(noExpiryCapability, Clock.systemUTC(), true).rules())
                .noneMatch(r -> r instanceof ExpirationRejectRule);
    }

    @Test
    void aWriterIsAccepted() {
        assertThat(rules.apply(net.envelope("rules", net.client(), 100))).isEqualTo(FilterResult.accept());
        assertThat(rules.apply(net.envelope("rules", net.org2.signer(NodeRole.ADMIN), 100)).isAccepted()).isTrue();
    }

    @Test
    void emptyPayloadIsABadRequest() {
        FilterResult result = rules.apply(Envelope.getDefaultInstance());
        assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(result.message()).isEqualTo("Message was empty");
    }

    @Test
    void overAbsoluteMaxBytesIsABadRequestWithFabricText() {
        Envelope big = net.envelope("rules", net.client(), 2100);
        long size = big.getPayload().size() + big.getSignature().size();
        FilterResult result = rules.apply(big);
        assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(result.message()).isEqualTo("message payload is " + size
                + " bytes and exceeds maximum allowed 2000 bytes");
        // exactly at the limit passes the size rule
        assertThat(new MaxBytesRule(size).apply(big).isAccepted()).isTrue();
        assertThat(new MaxBytesRule(size - 1).apply(big).isAccepted()).isFalse();
    }

    @Test
    void notAChannelWriterIsForbidden() {
        FilterResult peer = rules.apply(net.envelope("rules", net.org1.signer(NodeRole.PEER), 10));
        assertThat(peer.status()).isEqualTo(Status.FORBIDDEN);
        assertThat(peer.message()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, but "
                + "this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied");
        assertThat(rules.apply(net.envelope("rules", net.outsider.signer(NodeRole.CLIENT), 10)).status())
                .isEqualTo(Status.FORBIDDEN);
    }

    @Test
    void aBadSignatureIsForbidden() {
        Envelope good = net.envelope("rules", net.client(), 10);
        byte[] signature = good.getSignature().toByteArray();
        signature[signature.length - 1] ^= 1;
        Envelope forged = good.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
        assertThat(rules.apply(forged).status()).isEqualTo(Status.FORBIDDEN);
        Envelope resigned = good.toBuilder().setSignature(ByteString.copyFrom(net.org1.signer(NodeRole.ADMIN)
                .sign(good.getPayload().toByteArray()))).build();
        assertThat(rules.apply(resigned).status()).isEqualTo(Status.FORBIDDEN);
    }

    @Test
    void aPayloadWithoutHeaderIsABadRequest() {
        Envelope headerless = Envelope.newBuilder().setPayload(Payload.newBuilder()
                .setData(ByteString.copyFromUtf8("x")).build().toByteString()).build();
        FilterResult result = new SigFilter(config.policy("/Channel/Writers")).apply(headerless);
        assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(result.message()).isEqualTo("could not convert message to signedData: Missing Header");
    }

    @Test
    void anExpiredCreatorIsRejectedWhenTheCapabilityAsksForIt() {
        Instant now = Instant.now();
        Enrollment expired = net.org1.ca().issue("Expired@org1.example.com", NodeRole.CLIENT,
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        SigningIdentity signer = net.org1.signer(expired);
        FilterResult result = rules.apply(net.envelope("rules", signer, 10));
        assertThat(result.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(result.message()).isEqualTo("identity expired");
        // with the clock before NotAfter, or expiration checks off, the same creator is a valid writer
        Clock past = Clock.fixed(now.minus(Duration.ofDays(2)), ZoneOffset.UTC);
        assertThat(RuleSet.standardChannel(config, past, true).apply(net.envelope("rules", signer, 10)).isAccepted())
                .isTrue();
        assertThat(RuleSet.standardChannel(config, Clock.systemUTC(), false)
                .apply(net.envelope("rules", signer, 10)).isAccepted()).isTrue();
    }
}
