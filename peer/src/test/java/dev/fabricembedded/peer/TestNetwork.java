package dev.fabricembedded.peer;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.orderer.solo.SoloOrderer;
import org.hyperledger.fabric.protos.common.Block;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network on disk for tests: a solo orderer with channel {@code mychannel} (Org1 and Org2, one transaction per
 * block so block numbers are predictable) and one peer per organisation asked for, each in its own directory under
 * {@code root}. {@link #restart()} closes everything and reopens it from the same directories.
 */
public final class TestNetwork implements AutoCloseable {

    public static final String CHANNEL = "mychannel";

    /** Generated once per JVM: key generation is the slow part. */
    public static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    public static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");
    public static final Organization ORDERER_ORG = Organization.generate("OrdererMSP", "example.com");

    private final Path root;
    private final List<Organization> peerOrgs;
    private final Block genesisBlock;
    private SoloOrderer orderer;
    private final List<Peer> peers = new ArrayList<>();

    private TestNetwork(final Path root, final List<Organization> peerOrgs) {
        this.root = root;
        this.peerOrgs = List.copyOf(peerOrgs);
        this.genesisBlock = ChannelProfile.builder(CHANNEL)
                .applicationOrganization(ORG1.mspConfig())
                .applicationOrganization(ORG2.mspConfig())
                .ordererOrganization(ORDERER_ORG.mspConfig())
                .batchSettings(BatchSettings.EMBEDDED_DEFAULT.withMaxMessageCount(1))
                .build()
                .genesisBlock();
    }

    /** Creates the channel at a new orderer and lets a new peer of each organisation join it. */
    public static TestNetwork create(final Path root, final Organization... peerOrgs) {
        final TestNetwork network = new TestNetwork(root, List.of(peerOrgs));
        network.openOrderer();
        network.orderer.createChannel(network.genesisBlock);
        network.openPeers();
        for (final Peer peer : network.peers) {
            peer.joinChannel(network.genesisBlock);
        }
        return network;
    }

    /**
     * Reopens a network created before in {@code root} (its orderer and the peers of {@code peerOrgs}), without
     * creating or joining anything. {@link #genesisBlock()} is then not the channel's.
     */
    public static TestNetwork reopen(final Path root, final Organization... peerOrgs) {
        final TestNetwork network = new TestNetwork(root, List.of(peerOrgs));
        network.openOrderer();
        network.openPeers();
        return network;
    }

    private void openOrderer() {
        orderer = SoloOrderer.builder(root.resolve("orderer"), ORDERER_ORG.signer(NodeRole.ORDERER)).open();
    }

    private void openPeers() {
        for (final Organization org : peerOrgs) {
            peers.add(peerBuilder(org).open());
        }
    }

    /** A builder for the peer of {@code org} on this network's directories. */
    public PeerBuilder peerBuilder(final Organization org) {
        return Peer.builder(peerDirectory(org))
                .signingIdentity(org.signer(NodeRole.PEER))
                .localMsp(org.msp())
                .orderer(orderer)
                .executeTimeout(Duration.ofSeconds(30))
                .startupTimeout(Duration.ofSeconds(60))
                .validatorPoolSize(2)
                .ledgerSettings(TestLedgers.small());
    }

    public Path peerDirectory(final Organization org) {
        return root.resolve("peers").resolve(org.domain());
    }

    /** Closes the peers and the orderer, then reopens them from their directories. */
    public void restart() {
        close();
        openOrderer();
        openPeers();
    }

    public SoloOrderer orderer() {
        return orderer;
    }

    public Block genesisBlock() {
        return genesisBlock;
    }

    public Peer peer(final int index) {
        return peers.get(index);
    }

    public List<Peer> peers() {
        return Collections.unmodifiableList(peers);
    }

    /** A gateway acting as {@code identity} on the given peers (all of them if none given). */
    public Gateway gateway(final SigningIdentity identity, final Peer... gatewayPeers) {
        return Gateway.builder()
                .identity(identity)
                .peers(gatewayPeers.length == 0 ? peers : List.of(gatewayPeers))
                .orderer(orderer)
                .commitTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** Closes the peers (reverse order) and then the orderer. */
    @Override
    public void close() {
        final List<Peer> reversed = new ArrayList<>(peers);
        Collections.reverse(reversed);
        reversed.forEach(Peer::close);
        peers.clear();
        if (orderer != null) {
            orderer.close();
            orderer = null;
        }
    }
}
