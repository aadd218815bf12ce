package dev.fabricembedded.scc.channel;

/**
 * The application capabilities of a channel that change system-chaincode behaviour (Fabric's
 * {@code channelconfig.ApplicationCapabilities}): argument limits and collection handling in LSCC, and the rules VSCC
 * applies. Build them from the channel's {@code Capabilities} value with {@link #of(String)}-style factories.
 *
 * @param privateChannelData  {@code PrivateChannelData} (V1_2+): LSCC accepts a collection config argument
 * @param collectionUpgrade   {@code CollectionUpgrade} (V1_2+): LSCC upgrade may write collection config
 * @param v1_1Validation      {@code V1_1Validation} (V1_1+): VSCC also checks the new instantiation policy on upgrade
 * @param v1_2Validation      {@code V1_2Validation} (V1_2+): VSCC checks events, collection configs
 * @param v1_3Validation      {@code V1_3Validation} (V1_3+): key-level endorsement validation (see VSCC docs)
 * @param keyLevelEndorsement {@code KeyLevelEndorsement} (V1_3+)
 */
public record ChannelCapabilities(boolean privateChannelData, boolean collectionUpgrade, boolean v1_1Validation,
                                  boolean v1_2Validation, boolean v1_3Validation, boolean keyLevelEndorsement) {

    /** No application capability (a V1_0 channel). */
    public static ChannelCapabilities v1_0() {
        return new ChannelCapabilities(false, false, false, false, false, false);
    }

    /** Application capability {@code V1_1}. */
    public static ChannelCapabilities v1_1() {
        return new ChannelCapabilities(false, false, true, false, false, false);
    }

    /** Application capability {@code V1_2}. */
    public static ChannelCapabilities v1_2() {
        return new ChannelCapabilities(true, true, true, true, false, false);
    }

    /** Application capability {@code V1_3} (also what {@code V1_4_2} enables for the application). */
    public static ChannelCapabilities v1_3() {
        return new ChannelCapabilities(true, true, true, true, true, true);
    }

    /**
     * The capabilities of an application capability name ({@code V1_1}, {@code V1_2}, {@code V1_3}, {@code V1_4_2});
     * anything else gives {@link #v1_0()}.
     */
    public static ChannelCapabilities of(String applicationCapability) {
        return switch (applicationCapability == null ? "" : applicationCapability) {
            case "V1_1" -> v1_1();
            case "V1_2" -> v1_2();
            case "V1_3", "V1_4_2" -> v1_3();
            default -> v1_0();
        };
    }
}
