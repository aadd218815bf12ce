package dev.fabricembedded.orderer.channelconfig;

/**
 * A block or configuration is not a valid Fabric 1.4 channel configuration: it does not parse, misses a required
 * group or value, or holds a value Fabric would reject (the message says which, with Fabric's text where Fabric
 * has one, e.g. {@code Attempted to set the batch size max message count to an invalid value: 0}).
 *
 * <p>Unchecked: a configuration is supplied by the host application or read from a channel's own genesis block,
 * so a bad one is a setup error to report, not a condition to recover from.
 */
public final class InvalidChannelConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidChannelConfigException(String message) {
        super(message);
    }

    public InvalidChannelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
