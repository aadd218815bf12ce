package dev.fabricembedded.peer;

import dev.fabricembedded.gateway.Contract;
import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.msp.folder.LocalMsp;
import dev.fabricembedded.msp.folder.MspFolder;
import dev.fabricembedded.orderer.solo.SoloOrderer;

import java.nio.file.Path;

/**
 * Run as a separate JVM by {@link PeerCrashTest}: reopens the orderer and Org1's peer of a {@link TestNetwork}
 * directory, with identities read from MSP folders, and submits {@code put crash-<i> v<i>} through a gateway forever,
 * printing {@code committed <txid>} after each commit, until it is killed.
 */
public final class CrashingPeer {

    private CrashingPeer() {
    }

    public static void main(final String[] args) {
        final Path root = Path.of(args[0]);
        final Path crypto = Path.of(args[1]);
        final LocalMsp peer = MspFolder.read(crypto.resolve("org1/peers/peer0.org1.example.com/msp"), "Org1MSP");
        final LocalMsp client = MspFolder.read(crypto.resolve("org1/users/User1@org1.example.com/msp"), "Org1MSP");
        final LocalMsp orderer = MspFolder.read(crypto.resolve("orderer/orderers/orderer.example.com/msp"),
                "OrdererMSP");
        final SoloOrderer ordering = SoloOrderer.builder(root.resolve("orderer"), orderer.signer()).open();
        final Peer org1 = Peer.builder(root.resolve("peers").resolve("org1.example.com"))
                .signingIdentity(peer.signer()).localMsp(peer.msp()).orderer(ordering)
                .ledgerSettings(TestLedgers.small()).open();
        final Gateway gateway = Gateway.builder().identity(client.signer()).peers(org1).orderer(ordering).build();
        final Contract kv = gateway.network(TestNetwork.CHANNEL).contract("kv");
        for (int i = 0; ; i++) {
            final SubmitResult result = kv.submitTransaction("put", "crash-" + i, "v" + i);
            System.out.println("committed " + result.txId());
            System.out.flush();
        }
    }
}
