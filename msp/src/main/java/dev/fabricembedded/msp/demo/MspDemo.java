package dev.fabricembedded.msp.demo;

import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.folder.LocalMsp;
import dev.fabricembedded.msp.folder.MspFolder;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The MSP demo: generates (or reloads) three organisations in Fabric's MSP folder layout, signs and verifies with
 * their identities, and evaluates signature policies, logging each result with its timing. Exits 0 when every
 * outcome is the expected one, 1 with a single line on standard error otherwise.
 *
 * <p>Usage: {@code MspDemo [--data <dir>]}; without {@code --data} a temporary directory is used and removed.
 */
public final class MspDemo {

    private static final Logger LOG = LoggerFactory.getLogger(MspDemo.class);
    private static final int ROUNDS = 500;
    private static final String[][] ORGS = {
            {"Org1MSP", "org1.example.com"}, {"Org2MSP", "org2.example.com"}, {"Org3MSP", "org3.example.com"}};

    private final Path dataDir;

    private MspDemo(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static void main(String[] args) {
        try {
            Path data = null;
            for (int i = 0; i < args.length; i++) {
                if ("--data".equals(args[i]) && i + 1 < args.length) {
                    data = Path.of(args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument '" + args[i] + "' (usage: demo [--data <dir>])");
                }
            }
            boolean temporary = data == null;
            Path dir = temporary ? Files.createTempDirectory("fabric-embedded-msp-demo-") : data;
            try {
                new MspDemo(dir).run();
            } finally {
                if (temporary) {
                    deleteRecursively(dir);
                }
            }
        } catch (Exception e) {
            System.err.println("fabric-embedded demo failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws IOException {
        LOG.info("MSP demo in {}", dataDir.toAbsolutePath());
        List<LocalMsp> peers = new ArrayList<>();
        List<LocalMsp> clients = new ArrayList<>();
        for (String[] org : ORGS) {
            Path orgDir = dataDir.resolve(org[1]);
            long start = System.nanoTime();
            Path peerFolder = orgDir.resolve("peers").resolve("peer0." + org[1]).resolve("msp");
            Path clientFolder = orgDir.resolve("users").resolve("User1@" + org[1]).resolve("msp");
            boolean existed = Files.isDirectory(peerFolder);
            if (!existed) {
                Organization.generate(org[0], org[1]).writeTo(orgDir);
            }
            peers.add(MspFolder.read(peerFolder, org[0]));
            clients.add(MspFolder.read(clientFolder, org[0]));
            LOG.info("{} {} ({}) in {}", existed ? "loaded" : "generated", org[0], org[1], millis(start));
        }
        List<Msp> msps = peers.stream().map(LocalMsp::msp).toList();
        MspManager channel = MspManager.of(msps);

        SigningIdentity peer1 = peers.get(0).signer();
        SigningIdentity peer2 = peers.get(1).signer();
        SigningIdentity client3 = clients.get(2).signer();
        byte[] message = "demo proposal".getBytes(StandardCharsets.UTF_8);

        byte[] signature = timed("sign (ECDSA P-256, low-S)", () -> peer1.sign(message));
        Identity identity = channel.deserializeIdentity(peer1.serialized());
        check("identity " + identity.mspId() + " " + identity.certificate().commonName() + " validates",
                identity.validate().isValid(), true);
        VerificationResult verified = timed("deserialize (cached) + verify", () ->
                channel.deserializeIdentity(peer1.serialized()).verify(message, signature));
        check("signature verifies: " + verified, verified.isValid(), true);
        VerificationResult tampered = identity.verify("tampered".getBytes(StandardCharsets.UTF_8), signature);
        check("signature over other data is rejected: " + tampered, tampered.isValid(), false);

        CompiledSignaturePolicy twoOfThree = CompiledSignaturePolicy.compile(
                PolicyDsl.parse("OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')"), channel);
        List<SignedData> org1AndOrg3 = List.of(signed(peer1, "tx-1"), signed(client3, "tx-1"));
        PolicyResult result = timed("2-of-3 policy, signatures of Org1 and Org3", () -> twoOfThree.evaluate(org1AndOrg3));
        check("2-of-3 with Org1 and Org3: " + result, result.isSatisfied(), true);
        PolicyResult twice = twoOfThree.evaluate(List.of(signed(peer1, "tx-2"), signed(peer1, "tx-2b")));
        check("2-of-3 with Org1 signing twice: " + twice, twice.isSatisfied(), false);

        CompiledSignaturePolicy and = CompiledSignaturePolicy.compile(
                PolicyDsl.parse("AND('Org1MSP.peer', 'Org2MSP.peer')"), channel);
        PolicyResult oneOrg = and.evaluate(List.of(signed(peer1, "tx-3")));
        check("AND(Org1 peer, Org2 peer) with Org1 only: " + oneOrg, oneOrg.isSatisfied(), false);
        List<SignedData> both = List.of(signed(peer1, "tx-4"), signed(peer2, "tx-4"));
        PolicyResult bothOrgs = timed("AND policy, signatures of both peers", () -> and.evaluate(both));
        check("AND(Org1 peer, Org2 peer) with both: " + bothOrgs, bothOrgs.isSatisfied(), true);
        LOG.info("MSP demo finished: all checks passed");
    }

    private static SignedData signed(SigningIdentity signer, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        return SignedData.of(data, signer.serialize(), signer.sign(data));
    }

    private static <T> T timed(String what, Supplier<T> operation) {
        long first = System.nanoTime();
        T result = operation.get();
        long firstNanos = System.nanoTime() - first;
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            operation.get();
        }
        double average = (System.nanoTime() - start) / 1_000.0 / ROUNDS;
        LOG.info("{}: first call {} us, average of {} calls {} us", what, String.format("%.1f", firstNanos / 1_000.0),
                ROUNDS, String.format("%.1f", average));
        return result;
    }

    private static void check(String what, boolean actual, boolean expected) {
        if (actual != expected) {
            throw new IllegalStateException("unexpected outcome: " + what);
        }
        LOG.info("ok   {}", what);
    }

    private static String millis(long startNanos) {
        return String.format("%.1f ms", (System.nanoTime() - startNanos) / 1_000_000.0);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
