package dev.fabricembedded.peer;

import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.runtime.ChaincodeRuntime;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ledger.ChannelLedgerBuilder;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.orderer.OrderingService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of a {@link Peer}. Required: {@link #signingIdentity}, {@link #localMsp} and {@link #orderer}. Defaults:
 * chaincodes as child JVMs ({@link ProcessRuntime} with its queue directories under
 * {@code <data>/chaincode-channels}), Fabric's execute timeout (30 s) and start-up timeout (300 s), a validator pool
 * of {@code availableProcessors} threads per channel, and the ledger's own defaults for each channel ledger.
 *
 * <p>Not thread-safe; {@link #open()} may be called once per peer to open.
 */
public final class PeerBuilder {

    final Path dataDirectory;
    SigningIdentity signingIdentity;
    Msp localMsp;
    OrderingService orderer;
    ChaincodeRuntime chaincodeRuntime;
    Duration executeTimeout = ChaincodeSupport.DEFAULT_EXECUTE_TIMEOUT;
    Duration startupTimeout = ChaincodeSupport.DEFAULT_STARTUP_TIMEOUT;
    int validatorPoolSize = Runtime.getRuntime().availableProcessors();
    Consumer<ChannelLedgerBuilder> ledgerSettings = b -> { };
    String name;

    PeerBuilder(final Path dataDirectory) {
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** The peer's signing identity: it signs endorsements. */
    public PeerBuilder signingIdentity(final SigningIdentity identity) {
        this.signingIdentity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    /** The peer's local MSP (its organisation): checks channel-less proposals and LSCC {@code install} admins. */
    public PeerBuilder localMsp(final Msp msp) {
        this.localMsp = Objects.requireNonNull(msp, "msp");
        return this;
    }

    /** The ordering service the peer follows for its channels (not owned: the peer does not close it). */
    public PeerBuilder orderer(final OrderingService service) {
        this.orderer = Objects.requireNonNull(service, "service");
        return this;
    }

    /**
     * The runtime that starts installed chaincodes (default: child JVMs, queue directories under
     * {@code <data>/chaincode-channels}). The peer owns it from {@link #open()} on and closes it.
     */
    public PeerBuilder chaincodeRuntime(final ChaincodeRuntime runtime) {
        this.chaincodeRuntime = Objects.requireNonNull(runtime, "runtime");
        return this;
    }

    /** Fabric's {@code chaincode.executetimeout} (default 30 s). */
    public PeerBuilder executeTimeout(final Duration timeout) {
        this.executeTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Fabric's {@code chaincode.startuptimeout} (default 300 s). */
    public PeerBuilder startupTimeout(final Duration timeout) {
        this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Threads validating the transactions of one block in parallel, per channel (default availableProcessors). */
    public PeerBuilder validatorPoolSize(final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("validator pool size must be at least 1, got " + threads);
        }
        this.validatorPoolSize = threads;
        return this;
    }

    /** Adjusts each channel ledger's settings (state capacity, file sizes...) before it is opened. */
    public PeerBuilder ledgerSettings(final Consumer<ChannelLedgerBuilder> settings) {
        this.ledgerSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** The name in logs and thread names (default: the signing identity's common name, e.g. peer0.org1.example.com). */
    public PeerBuilder name(final String peerName) {
        this.name = Objects.requireNonNull(peerName, "peerName");
        return this;
    }

    /**
     * Locks the data directory, starts the endorser, rejoins every channel joined before (committing nothing twice)
     * and starts following the orderer for each, from its ledger's height.
     *
     * @throws PeerInUseException        when another peer holds the directory
     * @throws NullPointerException      naming a missing required setting
     * @throws IllegalStateException     when a joined channel cannot be reopened or followed (nothing is left open)
     */
    public Peer open() {
        Objects.requireNonNull(signingIdentity, "signingIdentity is required");
        Objects.requireNonNull(localMsp, "localMsp is required");
        Objects.requireNonNull(orderer, "orderer is required");
        if (!localMsp.name().equals(signingIdentity.mspId())) {
            throw new IllegalArgumentException("the signing identity belongs to " + signingIdentity.mspId()
                    + ", the local MSP is " + localMsp.name());
        }
        return Peer.open(this);
    }

    ChaincodeRuntime runtimeOrDefault(final Path channelDirectory) {
        return chaincodeRuntime != null ? chaincodeRuntime
                : ProcessRuntime.builder().channelBaseDir(channelDirectory).build();
    }
}
