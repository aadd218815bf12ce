package dev.fabricembedded.endorser;

import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.ProposalValidator;
import dev.fabricembedded.endorser.proposal.ValidatedProposal;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.scc.channel.AclResources;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticEndorserChannelTest {

    @TempDir
    static Path dir;

    private static Organization org1;
    private static Organization org2;
    private static ChannelLedger ledger;
    private static StaticEndorserChannel channel;

    @BeforeAll
    static void channel() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        org2 = Organization.generate("Org2MSP", "org2.example.com");
        ledger = ChannelLedger.builder(dir.resolve("ledger"), "mychannel").stateEntries(1_000).open();
        channel = StaticEndorserChannel.builder(ledger).organization(org2.msp()).organization(org1.msp())
                .capabilities(ChannelCapabilities.v1_2()).build();
    }

    @AfterAll
    static void close() {
        ledger.close();
    }

    private static PolicyResult acl(final String resource, final SigningIdentity creator) {
        final ValidatedProposal proposal = new ProposalValidator(org1.msp(),
                id -> Optional.of(channel.deserializer()))
                .validate(ProposalBuilder.invoke("mychannel", "mycc").args("q").build(creator).signedProposal())
                .proposal();
        return channel.checkAcl(resource, proposal.signedData());
    }

    @Test
    void describesTheLedgersChannelAndItsOrganisations() {
        assertThat(channel.channelId()).isEqualTo("mychannel");
        assertThat(channel.ledger()).isSameAs(ledger);
        assertThat(channel.applicationOrgs()).containsExactly("Org2MSP", "Org1MSP");
        assertThat(channel.capabilities()).isEqualTo(ChannelCapabilities.v1_2());
        assertThat(channel.deserializer().deserializeIdentity(org2.signer(NodeRole.CLIENT).serialized()).mspId())
                .isEqualTo("Org2MSP");
    }

    @Test
    void writersAreTheOrganisationsAdminsAndClients() {
        assertThat(acl(AclResources.PEER_PROPOSE, org1.signer(NodeRole.CLIENT)).isSatisfied()).isTrue();
        assertThat(acl(AclResources.PEER_PROPOSE, org2.signer(NodeRole.ADMIN)).isSatisfied()).isTrue();
        final PolicyResult peer = acl(AclResources.PEER_PROPOSE, org1.signer(NodeRole.PEER));
        assertThat(peer.isSatisfied()).isFalse();
        assertThat(peer.message()).startsWith("Failed evaluating policy on signed data during check policy on channel "
                + "[mychannel] with policy [/Channel/Application/Writers]: [implicit policy evaluation failed");
    }

    @Test
    void readersAlsoIncludeThePeers() {
        assertThat(acl(AclResources.LSCC_GET_CHAINCODE_DATA, org1.signer(NodeRole.PEER)).isSatisfied()).isTrue();
        assertThat(acl(AclResources.LSCC_GET_CHAINCODE_DATA, org2.signer(NodeRole.ORDERER)).isSatisfied()).isFalse();
    }

    @Test
    void channelsAreFoundByIdAndGivenOnce() {
        final EndorserChannels channels = EndorserChannels.of(channel);
        assertThat(channels.channel("mychannel")).containsSame(channel);
        assertThat(channels.channel("other")).isEmpty();
        assertThatThrownBy(() -> EndorserChannels.of(channel, channel)).hasMessageContaining("mychannel");
        assertThatThrownBy(() -> StaticEndorserChannel.builder(ledger).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
