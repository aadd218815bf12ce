package dev.fabricembedded.orderer.channelconfig;

import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspConfig;

import java.util.Objects;

/**
 * An organisation of a parsed channel configuration: the name of its configuration group and its MSP.
 *
 * @param name      the group name ({@code /Channel/Application/<name>/...})
 * @param mspConfig the MSP definition carried in the organisation's {@code MSP} value
 * @param msp       the MSP set up from it (shared with the channel's MSP manager)
 */
public record OrganizationConfig(String name, MspConfig mspConfig, Msp msp) {

    public OrganizationConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mspConfig, "mspConfig");
        Objects.requireNonNull(msp, "msp");
    }

    /** The MSP ID. */
    public String mspId() {
        return mspConfig.name();
    }
}
