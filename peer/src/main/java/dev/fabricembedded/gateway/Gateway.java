package dev.fabricembedded.gateway;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.ProposalRejectedException;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.orderer.OrderingService;
import dev.fabricembedded.peer.Peer;
import dev.fabricembedded.peer.PeerChannel;
import dev.fabricembedded.peer.event.CommitStatus;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client's connection to embedded peers and an ordering service, acting as one identity: the Fabric Gateway
 * programming model ({@code Gateway → Network → Contract}) over in-JVM calls.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder().identity(user1).peers(peer1, peer2).orderer(orderer).build()) {
 *     Contract contract = gateway.network("mychannel").contract("mycc");
 *     contract.submit("move", "a", "b", "10");          // endorse, order, wait for the commit
 *     byte[] a = contract.evaluate("query", "a");       // endorse only
 * }
 * }</pre>
 *
 * <p>Which peers do what:
 * <ul>
 *   <li>{@code submit} endorses on <b>one peer per organisation</b>: the first of the gateway's peers of each MSP, in
 *   the order given. So an {@code AND} policy over the gateway's organisations is met, and no organisation endorses
 *   twice. The commit is awaited on the <b>first</b> peer of the gateway.</li>
 *   <li>{@code evaluate} endorses on one peer: the first of the identity's organisation, else the first.</li>
 *   <li>{@code install} runs LSCC {@code install} on every gateway peer of the identity's organisation (LSCC allows
 *   only the peer's local admins); {@code instantiate} and {@code upgrade} are endorsed by the first peer of the
 *   identity's organisation (where its admin installed the package) and submitted like any transaction.</li>
 * </ul>
 * The transaction is assembled as Fabric's {@code CreateSignedTx} (fabric-1.4-flow.md §5.1) and signed by the
 * identity; a failure at each step is a {@link GatewayException} with Fabric's text and status or code.
 *
 * <p>The gateway owns no thread or resource: every call runs on the caller's thread (several callers may submit
 * concurrently; the endorsements of one submit run one after the other unless the host gives an
 * {@link Builder#endorsementExecutor}), and it neither opens nor closes the peers and the ordering service, which the
 * host owns.
 * {@link #close()} only refuses further calls.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Default wait for a transaction's commit. */
    public static final Duration DEFAULT_COMMIT_TIMEOUT = Duration.ofSeconds(60);

    private final SigningIdentity identity;
    private final List<Peer> peers;
    private final List<Peer> endorsers;
    private final OrderingService orderer;
    private final Duration commitTimeout;
    private final Executor endorsementExecutor;
    private volatile boolean closed;

    private Gateway(final Builder builder) {
        this.identity = builder.identity;
        this.peers = List.copyOf(builder.peers);
        this.orderer = builder.orderer;
        this.commitTimeout = builder.commitTimeout;
        this.endorsementExecutor = builder.endorsementExecutor;
        final Map<String, Peer> firstOfOrg = new LinkedHashMap<>();
        for (final Peer peer : peers) {
            firstOfOrg.putIfAbsent(peer.mspId(), peer);
        }
        this.endorsers = List.copyOf(firstOfOrg.values());
    }

    /** A builder; identity, at least one peer and the orderer are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The network (channel) {@code channelId}. */
    public Network network(final String channelId) {
        checkOpen();
        return new Network(this, Objects.requireNonNull(channelId, "channelId"));
    }

    /**
     * Installs a chaincode package (a jar whose manifest names the chaincode class) as {@code name:version} on every
     * gateway peer of the identity's organisation, through LSCC {@code install}. The identity must be an admin of that
     * organisation.
     *
     * @throws EndorseException         with LSCC's text when a peer refuses (not an admin, already installed, bad package)
     * @throws IllegalArgumentException when no gateway peer belongs to the identity's organisation
     * @throws UncheckedIOException     when the jar cannot be read
     */
    public void install(final Path chaincodeJar, final String name, final String version) {
        checkOpen();
        final List<Peer> own = peers.stream().filter(p -> p.mspId().equals(identity.mspId())).toList();
        if (own.isEmpty()) {
            throw new IllegalArgumentException("no peer of the gateway belongs to " + identity.mspId()
                    + "; install runs on the peers of the installing admin's organisation");
        }
        final ChaincodeDeploymentSpec spec = installSpec(chaincodeJar, name, version);
        for (final Peer peer : own) {
            install(peer, spec);
        }
    }

    /** Installs a chaincode package on one peer (the identity must be one of the peer's local admins). */
    public void install(final Peer peer, final Path chaincodeJar, final String name, final String version) {
        checkOpen();
        install(peer, installSpec(chaincodeJar, name, version));
    }

    private void install(final Peer peer, final ChaincodeDeploymentSpec spec) {
        final ClientProposal proposal = ProposalBuilder.install(spec).build(identity);
        endorse(peer, proposal);
        LOG.info("installed {}:{} on peer {}", spec.getChaincodeSpec().getChaincodeId().getName(),
                spec.getChaincodeSpec().getChaincodeId().getVersion(), peer.name());
    }

    private static ChaincodeDeploymentSpec installSpec(final Path chaincodeJar, final String name,
            final String version) {
        Objects.requireNonNull(chaincodeJar, "chaincodeJar");
        final byte[] jar;
        try {
            jar = Files.readAllBytes(chaincodeJar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chaincode package " + chaincodeJar + ": " + e.getMessage(), e);
        }
        return ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(Objects.requireNonNull(name, "name"))
                                .setVersion(Objects.requireNonNull(version, "version"))
                                .setPath(chaincodeJar.getFileName().toString()))
                        .setInput(ChaincodeInput.getDefaultInstance()))
                .setCodePackage(ByteString.copyFrom(jar))
                .build();
    }

    /** The identity proposals and transactions are signed with. */
    public SigningIdentity identity() {
        return identity;
    }

    /** The gateway's peers, in the order given; the first one reports commits. */
    public List<Peer> peers() {
        return peers;
    }

    /** The peers {@code submit} endorses on: the first of each organisation. */
    public List<Peer> endorsingPeers() {
        return endorsers;
    }

    /** The ordering service transactions are broadcast to. */
    public OrderingService orderer() {
        return orderer;
    }

    /** How long {@code submit} waits for a commit. */
    public Duration commitTimeout() {
        return commitTimeout;
    }

    /** Refuses further calls; the peers and the ordering service stay open (the host owns them). Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The data path, used by Network and Contract

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the gateway is closed");
        }
    }

    /** The peer {@code evaluate} and lifecycle proposals use: the first of the identity's organisation, else the first. */
    Peer ownPeer() {
        return peers.stream().filter(p -> p.mspId().equals(identity.mspId())).findFirst().orElse(peers.get(0));
    }

    /**
     * Endorses on {@code endorsingPeers}, assembles, broadcasts and waits for the commit on the first peer, whose
     * status is the answer, then on every other peer of the gateway that joined the channel: each peer commits on its
     * own delivery thread, and a next submit endorsed by a peer one block behind would read older state (and its
     * payload would not match the others'). So once {@code submit} returns, every gateway peer reads what it wrote.
     */
    SubmitResult submit(final String channelId, final ProposalBuilder builder, final List<Peer> endorsingPeers) {
        checkOpen();
        final long start = System.nanoTime();
        final ClientProposal proposal = builder.build(identity);
        final String txId = proposal.txId();
        final List<ProposalResponse> responses = endorseAll(endorsingPeers, proposal);
        final long endorsed = System.nanoTime();
        final Envelope envelope;
        try {
            envelope = SignedTransactions.create(proposal, responses, identity);
        } catch (IllegalArgumentException e) {
            throw new SubmitException(SubmitException.Reason.ASSEMBLY, txId, e.getMessage(), null, e);
        }
        final PeerChannel channel = peers.get(0).channel(channelId).orElseThrow(() -> new SubmitException(
                SubmitException.Reason.CHANNEL_UNAVAILABLE, txId, "peer " + peers.get(0).name()
                + " has not joined channel " + channelId, null, null));
        final CompletableFuture<CommitStatus> commit = channel.commitStatus(txId);
        final List<CompletableFuture<CommitStatus>> others = new ArrayList<>();
        for (final Peer other : peers.subList(1, peers.size())) {
            other.channel(channelId).ifPresent(c -> others.add(c.commitStatus(txId)));
        }
        final CommitStatus status;
        try {
            final BroadcastResponse broadcast = orderer.broadcast(envelope);
            if (broadcast.getStatus() != Status.SUCCESS) {
                throw new SubmitException(SubmitException.Reason.BROADCAST, txId, "the ordering service refused "
                        + "transaction " + txId + ": status " + broadcast.getStatus() + " (" + broadcast.getStatusValue()
                        + "), info: " + broadcast.getInfo(), broadcast.getStatus(), null);
            }
            final long deadline = System.nanoTime() + commitTimeout.toNanos();
            status = commit.get(commitTimeout.toNanos(), TimeUnit.NANOSECONDS);
            for (final CompletableFuture<CommitStatus> other : others) {
                other.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw new SubmitException(SubmitException.Reason.COMMIT_TIMEOUT, txId, "transaction " + txId
                    + " was ordered but its commit was not seen on " + (commit.isDone() ? "every peer of the gateway"
                    : "peer " + peers.get(0).name()) + " within " + commitTimeout, null, e);
        } catch (ExecutionException e) {
            throw new SubmitException(SubmitException.Reason.CHANNEL_UNAVAILABLE, txId, "the commit of transaction "
                    + txId + " cannot be reported: " + e.getCause().getMessage(), null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmitException(SubmitException.Reason.COMMIT_TIMEOUT, txId, "interrupted while waiting for "
                    + "the commit of transaction " + txId, null, e);
        } finally {
            commit.cancel(false); // forgets the waits that did not complete
            others.forEach(other -> other.cancel(false));
        }
        final long committed = System.nanoTime();
        if (!status.isValid()) {
            throw new CommitException(txId, status.code(), status.blockNumber(), status.transaction().message());
        }
        return new SubmitResult(txId, status.code(), responses.get(0).getResponse().getPayload(),
                status.blockNumber(), Duration.ofNanos(endorsed - start), Duration.ofNanos(committed - endorsed));
    }

    /**
     * The endorsements of every peer, in peer order: one after the other on the caller's thread, or in parallel on
     * the endorsement executor when there is one. The first failing peer (in peer order) is the exception.
     */
    private List<ProposalResponse> endorseAll(final List<Peer> endorsingPeers, final ClientProposal proposal) {
        final List<ProposalResponse> responses = new ArrayList<>(endorsingPeers.size());
        if (endorsementExecutor == null || endorsingPeers.size() == 1) {
            for (final Peer peer : endorsingPeers) {
                responses.add(endorse(peer, proposal));
            }
            return responses;
        }
        final List<CompletableFuture<ProposalResponse>> pending = new ArrayList<>(endorsingPeers.size());
        for (final Peer peer : endorsingPeers) {
            pending.add(CompletableFuture.supplyAsync(() -> endorse(peer, proposal), endorsementExecutor));
        }
        for (final CompletableFuture<ProposalResponse> endorsement : pending) {
            try {
                responses.add(endorsement.join());
            } catch (CompletionException e) {
                pending.forEach(f -> f.cancel(false));
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return responses;
    }

    /** Endorses on one peer and returns the chaincode response's payload. */
    byte[] evaluate(final ProposalBuilder builder) {
        checkOpen();
        final ClientProposal proposal = builder.build(identity);
        return endorse(ownPeer(), proposal).getResponse().getPayload().toByteArray();
    }

    /** One peer's endorsement; anything but a response below 400 is an {@link EndorseException}. */
    private ProposalResponse endorse(final Peer peer, final ClientProposal proposal) {
        final ProposalResponse response;
        try {
            response = peer.processProposal(proposal.signedProposal());
        } catch (ProposalRejectedException e) {
            throw new EndorseException(proposal.txId(), peer.name(), 0, e.getMessage(), e);
        }
        final int status = response.getResponse().getStatus();
        if (status >= 400 || status < 200) {
            throw new EndorseException(proposal.txId(), peer.name(), status, response.getResponse().getMessage(),
                    null);
        }
        return response;
    }

    /**
     * Builder for {@link Gateway}. Required: {@link #identity}, {@link #peers} and {@link #orderer}; the commit timeout
     * defaults to 60 s.
     */
    public static final class Builder {
        private SigningIdentity identity;
        private final List<Peer> peers = new ArrayList<>();
        private OrderingService orderer;
        private Duration commitTimeout = DEFAULT_COMMIT_TIMEOUT;
        private Executor endorsementExecutor;

        private Builder() {
        }

        /** The client identity that signs proposals and transactions. */
        public Builder identity(final SigningIdentity signer) {
            this.identity = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** The peers, any organisations; the first one reports commits. Replaces any given before. */
        public Builder peers(final Peer... gatewayPeers) {
            return peers(List.of(gatewayPeers));
        }

        /** The peers, any organisations; the first one reports commits. Replaces any given before. */
        public Builder peers(final List<Peer> gatewayPeers) {
            peers.clear();
            peers.addAll(gatewayPeers);
            return this;
        }

        /** The ordering service to broadcast to (normally the one the peers follow). */
        public Builder orderer(final OrderingService service) {
            this.orderer = Objects.requireNonNull(service, "service");
            return this;
        }

        /** How long {@code submit} waits for the commit (default 60 s). */
        public Builder commitTimeout(final Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commit timeout must be positive, got " + timeout);
            }
            this.commitTimeout = timeout;
            return this;
        }

        /**
         * Runs the endorsements of one submit in parallel on {@code executor} (default: none, one after the other on
         * the caller's thread). The gateway does not own the executor: the host shuts it down.
         */
        public Builder endorsementExecutor(final Executor executor) {
            this.endorsementExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Gateway build() {
            Objects.requireNonNull(identity, "identity is required");
            Objects.requireNonNull(orderer, "orderer is required");
            if (peers.isEmpty()) {
                throw new IllegalArgumentException("a gateway needs at least one peer");
            }
            return new Gateway(this);
        }
    }
}
