package dev.fabricembedded.orderer.channelconfig;

/**
 * The MSP semantics a channel asks for, derived from its channel capabilities (Fabric's {@code msp.MSPVersion}).
 *
 * <p>The msp module implements v1.4.3 semantics (admin and orderer NodeOUs, combined principals); a channel
 * reporting an older version is still evaluated with them. The value is exposed so that callers can refuse, or log,
 * a channel whose older semantics would differ.
 */
public enum MspVersion {
    /** No channel capability. */
    V1_0,
    /** Channel capability V1_1: NodeOUs client/peer. */
    V1_1,
    /** Channel capability V1_3 or V1_4_2: combined principals. */
    V1_3,
    /** Channel capability V1_4_3: admin and orderer NodeOUs. */
    V1_4_3
}
