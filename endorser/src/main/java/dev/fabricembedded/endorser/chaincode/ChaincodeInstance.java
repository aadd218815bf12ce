package dev.fabricembedded.endorser.chaincode;

/**
 * A chaincode named the way chaincodes name each other, {@code name[:version][/channel]} (Fabric's
 * {@code ChaincodeInstance} and {@code ParseName}): a registering chaincode's id ({@code mycc:1.0}) or the target of
 * a chaincode-to-chaincode call ({@code othercc}, {@code othercc/otherchannel}).
 *
 * @param channelId the channel, empty if not given
 * @param name      the chaincode name (the namespace of its state)
 * @param version   the version, empty if not given
 */
record ChaincodeInstance(String channelId, String name, String version) {

    /** Splits at the first {@code /} (channel), then at the first {@code :} (version), as Fabric does. */
    static ChaincodeInstance parse(final String chaincodeName) {
        String rest = chaincodeName;
        String channel = "";
        final int slash = rest.indexOf('/');
        if (slash >= 0) {
            channel = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String version = "";
        final int colon = rest.indexOf(':');
        if (colon >= 0) {
            version = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ChaincodeInstance(channel, rest, version);
    }

    /** Fabric's rendering, used in its error texts: {@code channel.name#version}. */
    @Override
    public String toString() {
        return channelId + "." + name + "#" + version;
    }
}
