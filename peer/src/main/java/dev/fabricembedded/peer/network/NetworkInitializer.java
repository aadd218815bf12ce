package dev.fabricembedded.peer.network;

import dev.fabricembedded.endorser.runtime.FileTree;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a new network data directory ({@code network init}): the organisations' crypto material in cryptogen's
 * layout, the channel's genesis block and {@code network.properties}.
 *
 * <p>All or nothing: everything is written into a hidden temporary sibling of the target and moved into place with
 * one atomic rename, so a failure (or a kill) leaves at most that temporary directory, never a half-initialised
 * network. The target must not exist or be an empty directory.
 *
 * <p>Stateless; each call works on its own files.
 */
final class NetworkInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkInitializer.class);

    private NetworkInitializer() {
    }

    /**
     * Creates the network directory described by {@code layout}.
     *
     * @throws IllegalArgumentException when the directory exists and is not empty (or is a file)
     * @throws UncheckedIOException     when writing fails (nothing is left at the target)
     */
    static void write(NetworkLayout layout) {
        Path target = layout.root();
        try {
            if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
                throw new IllegalArgumentException("cannot initialize a network in " + target
                        + ": it is not an empty directory (choose a new directory, or delete this one)");
            }
            Path parent = Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".init-");
            try {
                fill(new NetworkLayout(tmp, layout.organizations()));
                if (Files.exists(target)) {
                    Files.delete(target); // empty, checked above
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteRecursively(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialize a network in " + target + ": " + e.getMessage(), e);
        }
        LOG.info("network of {} organizations initialized in {}", layout.organizations(), target);
    }

    /** Writes the whole network into the (temporary, empty) directory of {@code layout}. */
    private static void fill(NetworkLayout layout) throws IOException {
        Organization ordererOrg = Organization.generate(NetworkLayout.ORDERER_MSP_ID, NetworkLayout.ORDERER_DOMAIN);
        ordererOrg.writeTo(layout.ordererOrganizationDirectory());
        // cryptogen's orderer organisations have orderers/ and users/Admin@ only
        deleteRecursively(layout.ordererOrganizationDirectory().resolve("peers"));
        deleteRecursively(layout.ordererOrganizationDirectory().resolve("users")
                .resolve(NetworkLayout.USER1 + "@" + NetworkLayout.ORDERER_DOMAIN));

        List<Organization> orgs = new ArrayList<>();
        for (int n = 1; n <= layout.organizations(); n++) {
            Organization org = Organization.generate(NetworkLayout.mspId(n), NetworkLayout.domain(n));
            org.writeTo(layout.peerOrganizationDirectory(n));
            // cryptogen's peer organisations have no orderers/
            deleteRecursively(layout.peerOrganizationDirectory(n).resolve("orderers"));
            orgs.add(org);
        }

        ChannelProfile.Builder profile = ChannelProfile.builder(layout.channelId())
                .ordererOrganization(ordererOrg.mspConfig())
                .batchSettings(BatchSettings.EMBEDDED_DEFAULT);
        orgs.forEach(org -> profile.applicationOrganization(org.mspConfig()));
        Block genesis = profile.build().genesisBlock();
        Files.createDirectories(layout.genesisBlock().getParent());
        Files.write(layout.genesisBlock(), genesis.toByteArray());
        layout.writeProperties();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Deletes a file tree: the temporary directory, or folders cryptogen does not write inside it. */
    private static void deleteRecursively(Path root) {
        try {
            FileTree.delete(root);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.getMessage());
        }
    }
}
