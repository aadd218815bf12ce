package dev.fabricembedded.peer.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where everything of an {@link EmbeddedNetwork} lives inside its data directory. The crypto material follows
 * Fabric's {@code cryptogen} layout, so Fabric users (and their tools) find the MSP folders where they expect them:
 * <pre>
 * &lt;data&gt;/network.properties                       format version, number of organisations, channel
 * &lt;data&gt;/LOCK                                     the network lock (pid of the process holding it)
 * &lt;data&gt;/crypto/peerOrganizations/org&lt;N&gt;.example.com/
 *        ca/  msp/  peers/peer0.org&lt;N&gt;.example.com/msp/
 *        users/Admin@org&lt;N&gt;.example.com/msp/  users/User1@org&lt;N&gt;.example.com/msp/
 * &lt;data&gt;/crypto/ordererOrganizations/example.com/
 *        ca/  msp/  orderers/orderer.example.com/msp/  users/Admin@example.com/msp/
 * &lt;data&gt;/orderer/                                 the solo orderer's chains (one block store per channel)
 * &lt;data&gt;/peers/peer0.org&lt;N&gt;.example.com/           each peer's data directory (ledgers, installed chaincodes)
 * &lt;data&gt;/channels/mychannel.block                 the channel's genesis block (a serialized common.Block)
 * </pre>
 * Organisation {@code N} (from 1) has MSP ID {@code Org<N>MSP} and domain {@code org<N>.example.com}, as in
 * Fabric's samples; the orderer organisation is {@code OrdererMSP}, {@code example.com}. There are no TLS folders
 * ({@code tls/}, {@code tlsca/}): nothing in the embedded network talks over the network.
 *
 * <p>Immutable and thread-safe: a value naming paths, it touches the disk only in {@link #read(Path)} and
 * {@link #writeProperties()}.
 */
public final class NetworkLayout {

    /** Version of the directory layout, written to {@value #PROPERTIES_FILE}; a different one is refused. */
    public static final int FORMAT_VERSION = 1;
    /** The file describing the network. */
    public static final String PROPERTIES_FILE = "network.properties";
    /** The one channel the network creates. */
    public static final String DEFAULT_CHANNEL = "mychannel";
    /** MSP ID of the orderer organisation. */
    public static final String ORDERER_MSP_ID = "OrdererMSP";
    /** Domain of the orderer organisation. */
    public static final String ORDERER_DOMAIN = "example.com";
    /** The most organisations {@code network init} creates (each one is a peer with its ledgers in this process). */
    public static final int MAX_ORGANIZATIONS = 16;
    /** The administrator of an organisation, as cryptogen names it. */
    public static final String ADMIN = "Admin";
    /** The client user of an organisation, as cryptogen names it. */
    public static final String USER1 = "User1";

    /** {@code org<N>}, {@code org<N>msp}, {@code org<N>.example.com} or {@code <N>}, lower-cased. */
    private static final Pattern ORGANIZATION = Pattern.compile(
            "org([1-9][0-9]{0,3})(?:msp|\\.example\\.com)?|([1-9][0-9]{0,3})");

    private final Path root;
    private final int organizations;
    private final String channelId;

    /**
     * A layout for a network of {@code organizations} organisations under {@code root}.
     *
     * @throws IllegalArgumentException when {@code organizations} is not between 1 and {@value #MAX_ORGANIZATIONS}
     */
    public NetworkLayout(Path root, int organizations) {
        this(root, organizations, DEFAULT_CHANNEL);
    }

    private NetworkLayout(Path root, int organizations, String channelId) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        checkOrganizationCount(organizations);
        this.organizations = organizations;
        this.channelId = Objects.requireNonNull(channelId, "channelId");
    }

    /**
     * Checks the number of organisations of a network.
     *
     * @throws IllegalArgumentException naming the allowed range
     */
    public static void checkOrganizationCount(int organizations) {
        if (organizations < 1 || organizations > MAX_ORGANIZATIONS) {
            throw new IllegalArgumentException("the number of organizations must be between 1 and "
                    + MAX_ORGANIZATIONS + ", got " + organizations);
        }
    }

    /**
     * Reads the layout of an initialised network directory from its {@value #PROPERTIES_FILE}.
     *
     * @throws IllegalArgumentException when the directory is not a network data directory (with the command that
     *                                  creates one), or its format version is not {@value #FORMAT_VERSION}
     */
    public static NetworkLayout read(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        Path file = dir.resolve(PROPERTIES_FILE);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " is not a network data directory (no " + PROPERTIES_FILE
                    + "); create one with: fabric-embedded network init --data " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String format = properties.getProperty("format");
        if (!String.valueOf(FORMAT_VERSION).equals(format)) {
            throw new IllegalArgumentException(file + ": unsupported network format '" + format + "' (this version "
                    + "reads format " + FORMAT_VERSION + ")");
        }
        int orgs;
        try {
            orgs = Integer.parseInt(properties.getProperty("organizations", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": 'organizations' is not a number");
        }
        try {
            checkOrganizationCount(orgs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        String channel = properties.getProperty("channel", DEFAULT_CHANNEL);
        return new NetworkLayout(dir, orgs, channel);
    }

    /** Writes {@value #PROPERTIES_FILE} (format version, organisations, channel) into {@link #root()}. */
    void writeProperties() throws IOException {
        String text = "# Fabric Embedded network (written by `fabric-embedded network init`)\n"
                + "format=" + FORMAT_VERSION + "\n"
                + "organizations=" + organizations + "\n"
                + "channel=" + channelId + "\n";
        Files.writeString(root.resolve(PROPERTIES_FILE), text);
    }

    /** The network data directory. */
    public Path root() {
        return root;
    }

    /** Number of (peer) organisations. */
    public int organizations() {
        return organizations;
    }

    /** The channel every organisation is a member of. */
    public String channelId() {
        return channelId;
    }

    /** The organisations' short names, {@code org1} to {@code org<N>}. */
    public List<String> organizationNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= organizations; n++) {
            names.add(organizationName(n));
        }
        return List.copyOf(names);
    }

    /** {@code org<N>}. */
    public static String organizationName(int n) {
        return "org" + n;
    }

    /** {@code Org<N>MSP}. */
    public static String mspId(int n) {
        return "Org" + n + "MSP";
    }

    /** {@code org<N>.example.com}. */
    public static String domain(int n) {
        return "org" + n + "." + ORDERER_DOMAIN;
    }

    /**
     * The number of an organisation given as {@code org<N>}, {@code Org<N>MSP}, {@code org<N>.example.com} or
     * {@code <N>} (case-insensitive for the first three).
     *
     * @throws IllegalArgumentException when it names no organisation of this network (listing the ones it has)
     */
    public int organizationNumber(String organization) {
        Objects.requireNonNull(organization, "organization");
        Matcher matcher = ORGANIZATION.matcher(organization.trim().toLowerCase(Locale.ROOT));
        Integer n = matcher.matches()
                ? Integer.valueOf(matcher.group(1) != null ? matcher.group(1) : matcher.group(2)) : null;
        if (n == null || n > organizations) {
            throw new IllegalArgumentException("unknown organization '" + organization + "': this network has "
                    + String.join(", ", organizationNames()));
        }
        return n;
    }

    /** {@code crypto/}. */
    public Path cryptoDirectory() {
        return root.resolve("crypto");
    }

    /** {@code crypto/peerOrganizations/org<N>.example.com}. */
    public Path peerOrganizationDirectory(int n) {
        checkOrganization(n);
        return cryptoDirectory().resolve("peerOrganizations").resolve(domain(n));
    }

    /** {@code crypto/ordererOrganizations/example.com}. */
    public Path ordererOrganizationDirectory() {
        return cryptoDirectory().resolve("ordererOrganizations").resolve(ORDERER_DOMAIN);
    }

    /** The MSP folder of organisation {@code n}'s peer: {@code .../peers/peer0.org<N>.example.com/msp}. */
    public Path peerMsp(int n) {
        return peerOrganizationDirectory(n).resolve("peers").resolve(peerName(n)).resolve("msp");
    }

    /**
     * The MSP folder of a user of organisation {@code n}: {@code .../users/<user>@org<N>.example.com/msp}.
     *
     * @param user {@value #ADMIN} or {@value #USER1}
     * @throws IllegalArgumentException for another user name
     */
    public Path userMsp(int n, String user) {
        checkUser(user);
        return peerOrganizationDirectory(n).resolve("users").resolve(user + "@" + domain(n)).resolve("msp");
    }

    /** The orderer's MSP folder: {@code crypto/ordererOrganizations/example.com/orderers/orderer.example.com/msp}. */
    public Path ordererMsp() {
        return ordererOrganizationDirectory().resolve("orderers").resolve("orderer." + ORDERER_DOMAIN)
                .resolve("msp");
    }

    /** The orderer organisation's verifying MSP folder ({@code .../example.com/msp}). */
    public Path ordererOrganizationMsp() {
        return ordererOrganizationDirectory().resolve("msp");
    }

    /** The verifying MSP folder of organisation {@code n} ({@code .../org<N>.example.com/msp}). */
    public Path organizationMsp(int n) {
        return peerOrganizationDirectory(n).resolve("msp");
    }

    /**
     * The directory the solo orderer is given: the network root, under which it keeps its chains in
     * {@code orderer/} ({@link dev.fabricembedded.orderer.solo.SoloOrderer#DIRECTORY}).
     */
    public Path ordererDataDirectory() {
        return root;
    }

    /** {@code peers/peer0.org<N>.example.com}: organisation {@code n}'s peer data directory. */
    public Path peerDirectory(int n) {
        return root.resolve("peers").resolve(peerName(n));
    }

    /** {@code peer0.org<N>.example.com}. */
    public String peerName(int n) {
        checkOrganization(n);
        return "peer0." + domain(n);
    }

    /** {@code channels/<channel>.block}: the genesis block of the network's channel. */
    public Path genesisBlock() {
        return root.resolve("channels").resolve(channelId + ".block");
    }

    /**
     * Checks a user name.
     *
     * @throws IllegalArgumentException unless it is {@value #ADMIN} or {@value #USER1}
     */
    public static void checkUser(String user) {
        if (!ADMIN.equals(user) && !USER1.equals(user)) {
            throw new IllegalArgumentException("unknown user '" + user + "': each organization has the users "
                    + ADMIN + " and " + USER1);
        }
    }

    private void checkOrganization(int n) {
        if (n < 1 || n > organizations) {
            throw new IllegalArgumentException("organization " + n + " does not exist: this network has "
                    + organizations + " organization" + (organizations == 1 ? "" : "s"));
        }
    }

    @Override
    public String toString() {
        return "NetworkLayout[" + root + ", organizations=" + organizations + ", channel=" + channelId + "]";
    }
}
