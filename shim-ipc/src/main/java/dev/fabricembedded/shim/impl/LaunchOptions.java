package dev.fabricembedded.shim.impl;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a chaincode process needs to know, from its command line or, for what the command line leaves out, its
 * environment (the way Fabric's shims read {@code CORE_CHAINCODE_ID_NAME}).
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>Argument</th><th>Environment variable</th><th>Meaning</th></tr>
 * <tr><td>{@code --id name:version}</td><td>{@code CORE_CHAINCODE_ID_NAME}</td><td>sent in REGISTER</td></tr>
 * <tr><td>{@code --channel-dir DIR}</td><td>{@code FABRIC_EMBEDDED_CHANNEL_DIR}</td><td>the ipc channel created
 * by the peer</td></tr>
 * <tr><td>{@code --class FQCN}</td><td>{@code FABRIC_EMBEDDED_CHAINCODE_CLASS}</td><td>the {@code Chaincode}
 * implementation</td></tr>
 * <tr><td>{@code --jar FILE}</td><td>{@code FABRIC_EMBEDDED_CHAINCODE_JAR}</td><td>the chaincode package jar; its
 * manifest attribute {@code Chaincode-Class} names the class when no class is given</td></tr>
 * <tr><td>{@code --peer-pid PID}</td><td>{@code FABRIC_EMBEDDED_PEER_PID}</td><td>optional: the peer's process,
 * watched so that its death is noticed at once instead of after the keepalive timeout</td></tr>
 * </table>
 *
 * @param chaincodeId    {@code name:version}
 * @param channelDir     the channel directory
 * @param chaincodeClass the class name, or {@code null} to take it from the jar's manifest
 * @param jar            the package jar, or {@code null}
 * @param peerPid        the peer's pid, or {@code null}
 */
record LaunchOptions(String chaincodeId, Path channelDir, String chaincodeClass, Path jar, Long peerPid) {

    static final String ENV_ID = "CORE_CHAINCODE_ID_NAME";
    static final String ENV_CHANNEL_DIR = "FABRIC_EMBEDDED_CHANNEL_DIR";
    static final String ENV_CLASS = "FABRIC_EMBEDDED_CHAINCODE_CLASS";
    static final String ENV_JAR = "FABRIC_EMBEDDED_CHAINCODE_JAR";
    static final String ENV_PEER_PID = "FABRIC_EMBEDDED_PEER_PID";

    static final String USAGE = "usage: ChaincodeMain --id name:version --channel-dir DIR"
            + " (--class FQCN | --jar FILE [--class FQCN]) [--peer-pid PID]"
            + " (or the environment variables " + ENV_ID + ", " + ENV_CHANNEL_DIR + ", " + ENV_CLASS + ", "
            + ENV_JAR + ", " + ENV_PEER_PID + ")";

    /**
     * Reads the options.
     *
     * @throws IllegalArgumentException naming the first missing or malformed option
     */
    static LaunchOptions parse(final String[] args, final Map<String, String> env) {
        String id = env.get(ENV_ID);
        String dir = env.get(ENV_CHANNEL_DIR);
        String cls = env.get(ENV_CLASS);
        String jar = env.get(ENV_JAR);
        String pid = env.get(ENV_PEER_PID);
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            final String value = args[++i];
            switch (option) {
                case "--id", "-i" -> id = value;
                case "--channel-dir" -> dir = value;
                case "--class" -> cls = value;
                case "--jar" -> jar = value;
                case "--peer-pid" -> pid = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (blank(id)) {
            throw new IllegalArgumentException("no chaincode id: give --id name:version or set " + ENV_ID);
        }
        if (!id.contains(":") || id.startsWith(":") || id.endsWith(":")) {
            throw new IllegalArgumentException("chaincode id must be name:version, got '" + id + "'");
        }
        if (blank(dir)) {
            throw new IllegalArgumentException("no channel directory: give --channel-dir or set " + ENV_CHANNEL_DIR);
        }
        if (blank(cls) && blank(jar)) {
            throw new IllegalArgumentException("no chaincode class: give --class (" + ENV_CLASS + ") or --jar ("
                    + ENV_JAR + ") with a Chaincode-Class manifest attribute");
        }
        Long peerPid = null;
        if (!blank(pid)) {
            try {
                peerPid = Long.parseLong(pid.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("peer pid must be a number, got '" + pid + "'", e);
            }
        }
        return new LaunchOptions(id, Path.of(dir), blank(cls) ? null : cls, blank(jar) ? null : Path.of(jar), peerPid);
    }

    LaunchOptions {
        Objects.requireNonNull(chaincodeId, "chaincodeId");
        Objects.requireNonNull(channelDir, "channelDir");
    }

    Optional<Path> packageJar() {
        return Optional.ofNullable(jar);
    }

    private static boolean blank(final String s) {
        return s == null || s.isBlank();
    }
}
