package dev.fabricembedded.endorser.chaincode;

import java.util.Objects;

/**
 * What to launch for a chaincode named in a proposal (Fabric's {@code ChaincodeContainerInfo}): the name and the
 * version its definition on the channel names, once the installed package has been checked against that definition.
 *
 * @param name    the chaincode name
 * @param version the version to launch
 */
public record ChaincodeContainerInfo(String name, String version) {

    public ChaincodeContainerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
