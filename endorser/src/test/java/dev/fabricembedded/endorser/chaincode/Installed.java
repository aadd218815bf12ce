package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import dev.fabricembedded.scc.lscc.Lscc;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;

/**
 * Installs chaincodes the way a peer does (a JAVA {@code ChaincodeDeploymentSpec} in the real package store,
 * {@code <dir>/<name>.<version>}) and instantiates them on a test ledger by committing the {@code ChaincodeData} LSCC
 * would have written under {@code lscc/<name>}.
 */
public final class Installed {

    private final ChaincodePackageStore store;

    public Installed(final Path directory) {
        this.store = new FileChaincodePackageStore(directory);
    }

    public ChaincodePackageStore store() {
        return store;
    }

    /** The deployment spec of a JAVA chaincode whose code package is {@code jar}. */
    public static ChaincodeDeploymentSpec cds(final String name, final String version, final byte[] jar) {
        return ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version)
                                .setPath("dev/fabricembedded/examples")))
                .setCodePackage(ByteString.copyFrom(jar))
                .build();
    }

    /** Installs {@code jar} as {@code name:version}. */
    public ChaincodePackage install(final String name, final String version, final byte[] jar) {
        return store.install(cds(name, version, jar).toByteString());
    }

    /** The definition LSCC derives from an installed package with the default plugins. */
    public static ChaincodeData definition(final ChaincodePackage pkg) {
        return pkg.chaincodeData().withInstance("escc", "vscc", ByteString.EMPTY);
    }

    /** Commits the definitions under {@code lscc/<name>}, as a deploy transaction would. */
    public static void instantiate(final ChannelLedger ledger, final ChaincodeData... definitions) {
        final String txId = Invocations.txId();
        final TxReadWriteSet results;
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            for (final ChaincodeData definition : definitions) {
                simulator.setState(Lscc.NAME, definition.name(), definition.toByteString().toByteArray());
            }
            results = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, txId, results);
    }

    /** Installs and instantiates {@code jar} as {@code name:version}. */
    public ChaincodePackage deploy(final ChannelLedger ledger, final String name, final String version, final byte[] jar) {
        final ChaincodePackage pkg = install(name, version, jar);
        instantiate(ledger, definition(pkg));
        return pkg;
    }
}
