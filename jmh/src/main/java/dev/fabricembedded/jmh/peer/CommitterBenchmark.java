package dev.fabricembedded.jmh.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.DeployOptions;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.peer.committer.BlockCommitter;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.peer.committer.ValidatedBlock;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.escc.DefaultEndorsement;
import dev.fabricembedded.scc.escc.EndorsementContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Committer throughput for blocks of {@value #TXS} endorser transactions, each endorsed by two organisations' peers
 * under {@code AND('Org1MSP.member','Org2MSP.member')} and writing one new key, beside the signature work those
 * transactions need, in the same run and on the same number of threads:
 * <ul>
 *   <li>{@code commit}: {@link BlockCommitter#commit} of an orderer-signed block: §5.5 block checks (one orderer
 *   signature), the parallel per-transaction checks (creator signature, txid, proposal hash, replay lookup), VSCC
 *   (lscc definition read, policy over the two endorsements) on {@code threads} validator workers, then the ledger's
 *   MVCC, the synced block append and the state update;</li>
 *   <li>{@code commitConsecutive}: {@link BlockCommitter#commit(List)} of {@value #CONSECUTIVE} consecutive blocks
 *   per call, which validates blocks {@code k + 1} to {@code k + lookahead} on the workers while block {@code k} is
 *   committed (what a peer catching up, or receiving blocks faster than it commits them, does);</li>
 *   <li>{@code validateOnly}: {@code TxValidator.validate} of the same kind of block, nothing committed;</li>
 *   <li>{@code verifyOnly} (the ceiling): the 3 ECDSA verifies per transaction (creator, 2 endorsements) with the
 *   channel MSP's identities (deserialized beforehand, BouncyCastle), spread over {@code threads} threads the same
 *   way.</li>
 * </ul>
 * Each invocation handles one block; the score is in transactions per second. {@code commit} gets fresh blocks
 * built and signed before each iteration (not measured), chained on the ledger's head so that they append in order
 * (an iteration that used them all fails rather than reusing one); {@code validateOnly} and {@code verifyOnly}, which
 * change nothing, cycle through a pool of blocks built once.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class CommitterBenchmark {

    static final int TXS = 100;
    /** Fresh blocks built per iteration for the commits: enough for 10,000 tx/s during a 1 s iteration. */
    static final int FRESH_BLOCKS = 100;
    /** Blocks per {@code commitConsecutive} call. */
    static final int CONSECUTIVE = 10;
    /**
     * Warm-up iterations of {@code commit} and {@code commitConsecutive}: the JIT compiles their code (the ledger's,
     * Chronicle Map's, the committer's, besides the verifies) for ~7 one-second iterations, taking 35-60 % of a vCPU
     * during iterations 1-6 and under 10 % from the 8th on (C2 and C1 threads' CPU measured per iteration, session
     * 9); {@code verifyOnly}'s code is compiled within the first iteration. Measured before that, the committing
     * benchmarks compete with their own compilation and the ratio to {@code verifyOnly} is not a steady state.
     */
    static final int COMMIT_WARMUP_ITERATIONS = 8;
    /** Blocks {@code validateOnly} and {@code verifyOnly} cycle through (they change nothing). */
    static final int POOL_BLOCKS = 20;
    private static final String CHANNEL = "bench";
    private static final String CHAINCODE = "benchcc";
    private static final String SYSCC_VERSION = "1.4.12";

    /** One signature check: who, over what, the signature. */
    record Signature(Identity signer, ByteString message, ByteString signature) {
    }

    /** The channel: organisations, configuration, ledger with {@code benchcc} deployed, committer, baseline pool. */
    @State(Scope.Benchmark)
    public static class Channel {

        /** Validator threads, and threads of the verify-only baseline. */
        @Param({"2"})
        public int threads;

        /** Blocks {@code commitConsecutive} validates ahead while it commits one ({@code validationLookahead}). */
        @Param({"2"})
        public int lookahead;

        private final Organization org1 = Organization.generate("Org1MSP", "org1.example.com");
        private final Organization org2 = Organization.generate("Org2MSP", "org2.example.com");
        private final Organization ordererOrg = Organization.generate("OrdererMSP", "example.com");
        private final BlockSigner orderer = new BlockSigner(ordererOrg.signer(NodeRole.ORDERER));
        /*
         * The identities every invoke is signed and endorsed with, made once: Organization.signer deserializes the
         * certificate and checks its chain (an ECDSA verify) on every call, which was ~40 % of the setup's CPU.
         */
        private final SigningIdentity client1 = org1.signer(NodeRole.CLIENT);
        private final SigningIdentity peer1 = org1.signer(NodeRole.PEER);
        private final SigningIdentity peer2 = org2.signer(NodeRole.PEER);
        private final DefaultEndorsement escc = new DefaultEndorsement();
        private final AtomicInteger keys = new AtomicInteger();

        private Path directory;
        private ChannelConfig config;
        private ChannelLedger ledger;
        private BlockCommitter committer;
        private ExecutorService verifiers;

        @Setup(Level.Trial)
        public void open() throws IOException {
            directory = Files.createTempDirectory("committer-bench");
            Block genesis = ChannelProfile.builder(CHANNEL)
                    .applicationOrganization(org1.mspConfig())
                    .applicationOrganization(org2.mspConfig())
                    .ordererOrganization(ordererOrg.mspConfig())
                    .build().genesisBlock();
            config = ChannelConfig.fromGenesisBlock(genesis);
            ledger = ChannelLedger.builder(directory.resolve("ledger"), CHANNEL)
                    .stateEntries(400_000).txIndexEntries(400_000).historyEnabled(false)
                    .averageKeySize(24).averageValueSize(64).open();
            committer = BlockCommitter.builder().ledger(ledger).channelConfig(() -> config)
                    .validatorPoolSize(threads).validationLookahead(lookahead).build();
            verifiers = Executors.newFixedThreadPool(threads, new NamedThreads("bench-verifier-"));
            committer.commit(genesis);
            CommittedBlock deployed = committer.commit(block(ledger.height(),
                    ledger.chainInfo().getCurrentBlockHash(), List.of(deploy())));
            requireAllValid(deployed.transactions());
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            committer.close();
            ledger.close();
            verifiers.shutdown();
            verifiers.awaitTermination(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code count} orderer-signed blocks chained on the ledger's head, each of {@value #TXS} new-key invokes. */
        List<Block> nextBlocks(int count) {
            long number = ledger.height();
            ByteString previous = ledger.chainInfo().getCurrentBlockHash();
            List<Block> blocks = new ArrayList<>(count);
            for (int b = 0; b < count; b++) {
                List<Envelope> envelopes = IntStream.range(0, TXS).parallel()
                        .mapToObj(i -> invoke("k-" + keys.getAndIncrement())).toList();
                Block block = block(number + b, previous, envelopes);
                previous = ByteString.copyFrom(BlockHashes.headerHash(block.getHeader()));
                blocks.add(block);
            }
            return blocks;
        }

        private Block block(long number, ByteString previousHash, List<Envelope> envelopes) {
            BlockData data = BlockData.newBuilder().addAllData(envelopes.stream().map(Envelope::toByteString).toList())
                    .build();
            Block unsigned = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number)
                            .setPreviousHash(previousHash).setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))))
                    .setData(data).build();
            return orderer.sign(unsigned, 0);
        }

        /** An invoke of {@code benchcc} writing one key, endorsed by Org1's and Org2's peers, signed by Org1's client. */
        private Envelope invoke(String key) {
            KVRWSet writes = KVRWSet.newBuilder().addWrites(KVWrite.newBuilder().setKey(key)
                    .setValue(ByteString.copyFromUtf8("value-of-" + key))).build();
            return endorsed(ProposalBuilder.invoke(CHANNEL, CHAINCODE).chaincodeVersion("1.0").args("put", key),
                    client1, CHAINCODE, "1.0", rwset(CHAINCODE, writes), peer1, peer2);
        }

        /** The lscc deploy of {@code benchcc:1.0} with the AND policy, as an honest lscc writes it. */
        private Envelope deploy() {
            ByteString policy = PolicyDsl.parse("AND('Org1MSP.member','Org2MSP.member')").toByteString();
            ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
                    .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                            .setChaincodeId(ChaincodeID.newBuilder().setName(CHAINCODE).setVersion("1.0"))
                            .setInput(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("init"))))
                    .build();
            ByteString definition = new ChaincodeData(CHAINCODE, "1.0", "escc", "vscc", policy, ByteString.EMPTY,
                    ByteString.EMPTY, SignaturePolicies.signedByAnyAdmin(List.of("Org1MSP", "Org2MSP")).toByteString())
                    .toByteString();
            KVRWSet lscc = KVRWSet.newBuilder().addWrites(KVWrite.newBuilder().setKey(CHAINCODE).setValue(definition))
                    .build();
            return endorsed(ProposalBuilder.deploy(CHANNEL, cds, DeployOptions.defaults().withEndorsementPolicy(policy))
                            .chaincodeVersion(SYSCC_VERSION), org1.signer(NodeRole.ADMIN), "lscc", SYSCC_VERSION,
                    rwset("lscc", lscc), org1.signer(NodeRole.PEER));
        }

        private Envelope endorsed(ProposalBuilder proposal, SigningIdentity creator, String chaincode, String version,
                                  TxReadWriteSet results, SigningIdentity... endorsers) {
            ClientProposal built = proposal.build(creator);
            try {
                EndorsementContext context = EndorsementContext.of(CHANNEL, built.proposal(),
                        Response.newBuilder().setStatus(200).build(), results.toByteString(), ByteString.EMPTY,
                        ChaincodeID.newBuilder().setName(chaincode).setVersion(version).build());
                List<ProposalResponse> responses = new ArrayList<>(endorsers.length);
                for (SigningIdentity endorser : endorsers) {
                    responses.add(escc.endorse(context, endorser));
                }
                return SignedTransactions.create(built, responses, creator);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        private static TxReadWriteSet rwset(String namespace, KVRWSet kv) {
            return TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                    .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(kv.toByteString()))
                    .build();
        }

        /** The creator's signature over the payload and each endorser's over {@code prp ‖ endorser}. */
        Stream<Signature> signatures(Envelope envelope) {
            MspManager msps = config.mspManager();
            try {
                Payload payload = Payload.parseFrom(envelope.getPayload());
                SignatureHeader header = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
                ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(
                        Transaction.parseFrom(payload.getData()).getActions(0).getPayload());
                List<Signature> all = new ArrayList<>(3);
                all.add(new Signature(msps.deserializeIdentity(header.getCreator()), envelope.getPayload(),
                        envelope.getSignature()));
                ByteString prp = cap.getAction().getProposalResponsePayload();
                for (Endorsement endorsement : cap.getAction().getEndorsementsList()) {
                    all.add(new Signature(msps.deserializeIdentity(endorsement.getEndorser()),
                            prp.concat(endorsement.getEndorser()), endorsement.getSignature()));
                }
                return all.stream();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Fresh blocks for {@code commit}, built before each iteration. */
    @State(Scope.Benchmark)
    public static class FreshBlocks {
        private List<Block> blocks;
        private int next;

        @Setup(Level.Iteration)
        public void build(Channel channel) {
            blocks = channel.nextBlocks(FRESH_BLOCKS);
            next = 0;
        }

        List<Block> next(int count) {
            if (next + count > blocks.size()) {
                throw new IllegalStateException("all " + FRESH_BLOCKS + " blocks of the iteration committed; "
                        + "raise FRESH_BLOCKS");
            }
            next += count;
            return blocks.subList(next - count, next);
        }
    }

    /** Blocks and their signatures for {@code validateOnly} and {@code verifyOnly}, built once. */
    @State(Scope.Benchmark)
    public static class BlockPool {
        private List<Block> blocks;
        private List<List<Signature>> signatures;
        private int next;

        @Setup(Level.Trial)
        public void build(Channel channel) {
            blocks = channel.nextBlocks(POOL_BLOCKS);
            signatures = blocks.stream().map(block -> block.getData().getDataList().stream()
                    .flatMap(data -> channel.signatures(envelope(data))).toList()).toList();
        }

        int nextIndex() {
            int index = next;
            next = (next + 1) % POOL_BLOCKS;
            return index;
        }

        private static Envelope envelope(ByteString data) {
            try {
                return Envelope.parseFrom(data);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Benchmark
    @Warmup(iterations = COMMIT_WARMUP_ITERATIONS, time = 1)
    @OperationsPerInvocation(TXS)
    public CommittedBlock commit(Channel channel, FreshBlocks fresh) {
        CommittedBlock committed = channel.committer.commit(fresh.next(1).get(0));
        requireAllValid(committed.transactions());
        return committed;
    }

    @Benchmark
    @Warmup(iterations = COMMIT_WARMUP_ITERATIONS, time = 1)
    @OperationsPerInvocation(TXS * CONSECUTIVE)
    public List<CommittedBlock> commitConsecutive(Channel channel, FreshBlocks fresh) {
        List<CommittedBlock> committed = channel.committer.commit(fresh.next(CONSECUTIVE));
        committed.forEach(block -> requireAllValid(block.transactions()));
        return committed;
    }

    @Benchmark
    @OperationsPerInvocation(TXS)
    public ValidatedBlock validateOnly(Channel channel, BlockPool pool) {
        ValidatedBlock validated = channel.committer.validator().validate(pool.blocks.get(pool.nextIndex()));
        if (validated.validCount() != TXS) {
            throw new IllegalStateException("invalid transactions in the benchmark: " + validated.transactions());
        }
        return validated;
    }

    @Benchmark
    @OperationsPerInvocation(TXS)
    public int verifyOnly(Channel channel, BlockPool pool) throws InterruptedException, ExecutionException {
        List<Signature> block = pool.signatures.get(pool.nextIndex());
        AtomicInteger index = new AtomicInteger();
        List<Future<Integer>> running = new ArrayList<>(channel.threads);
        for (int t = 0; t < channel.threads; t++) {
            running.add(channel.verifiers.submit(() -> {
                int valid = 0;
                for (int i = index.getAndIncrement(); i < block.size(); i = index.getAndIncrement()) {
                    Signature s = block.get(i);
                    if (s.signer().verify(s.message(), s.signature()).isValid()) {
                        valid++;
                    }
                }
                return valid;
            }));
        }
        int valid = 0;
        for (Future<Integer> future : running) {
            valid += future.get();
        }
        if (valid != block.size()) {
            throw new IllegalStateException(valid + " of " + block.size() + " signatures valid");
        }
        return valid;
    }

    private static void requireAllValid(List<CommittedTransaction> transactions) {
        for (CommittedTransaction tx : transactions) {
            if (tx.code() != TxValidationCode.VALID) {
                throw new IllegalStateException("transaction " + tx.index() + " is " + tx.code() + ": "
                        + tx.message());
            }
        }
    }

    /** Threads named {@code <prefix><n>}, daemon. */
    private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
        private final String prefix;
        private final AtomicInteger counter = new AtomicInteger();

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, prefix + counter.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }
    }
}
