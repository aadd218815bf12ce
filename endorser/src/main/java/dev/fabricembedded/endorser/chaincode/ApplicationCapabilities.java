package dev.fabricembedded.endorser.chaincode;

/**
 * The application capabilities of a channel that chaincode support needs.
 *
 * @param keyLevelEndorsement whether the channel has the V1_3 application capability ({@code KeyLevelEndorsement}),
 *                            required for GET_STATE_METADATA and PUT_STATE_METADATA
 */
public record ApplicationCapabilities(boolean keyLevelEndorsement) {
}
