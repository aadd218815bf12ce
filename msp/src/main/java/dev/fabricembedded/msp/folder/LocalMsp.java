package dev.fabricembedded.msp.folder;

import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.SigningIdentity;

import java.util.Objects;
import java.util.Optional;

/**
 * An MSP loaded from a folder: its configuration, the verifying {@link Msp}, and the signing identity when the
 * folder has {@code signcerts/} and a matching key in {@code keystore/} (a node's local MSP).
 *
 * @param config          the verifying configuration read from the folder
 * @param msp             the MSP set up from it
 * @param signingIdentity the folder's signing identity, if it has one
 */
public record LocalMsp(MspConfig config, Msp msp, Optional<SigningIdentity> signingIdentity) {

    public LocalMsp {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(msp, "msp");
        Objects.requireNonNull(signingIdentity, "signingIdentity");
    }

    /**
     * The signing identity.
     *
     * @throws IllegalStateException when the folder has none
     */
    public SigningIdentity signer() {
        return signingIdentity.orElseThrow(() -> new IllegalStateException(
                "MSP folder of " + msp.name() + " has no signing identity (signcerts/ and keystore/)"));
    }
}
