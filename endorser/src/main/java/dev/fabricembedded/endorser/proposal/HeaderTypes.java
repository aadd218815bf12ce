package dev.fabricembedded.endorser.proposal;

/**
 * Fabric 1.4's {@code common.HeaderType} names, for error texts that print them. The generated enum of later protos
 * lacks some of them (e.g. {@code TOKEN_TRANSACTION}), so the 1.4 table is kept here. Stateless.
 */
final class HeaderTypes {

    static final int CONFIG = 1;
    static final int CONFIG_UPDATE = 2;
    static final int ENDORSER_TRANSACTION = 3;
    static final int TOKEN_TRANSACTION = 9;

    private HeaderTypes() {
    }

    /** The 1.4 name of a header type, or the number itself as Go prints an unknown enum value. */
    static String name(final int type) {
        return switch (type) {
            case 0 -> "MESSAGE";
            case CONFIG -> "CONFIG";
            case CONFIG_UPDATE -> "CONFIG_UPDATE";
            case ENDORSER_TRANSACTION -> "ENDORSER_TRANSACTION";
            case 4 -> "ORDERER_TRANSACTION";
            case 5 -> "DELIVER_SEEK_INFO";
            case 6 -> "CHAINCODE_PACKAGE";
            case 8 -> "PEER_ADMIN_OPERATION";
            case TOKEN_TRANSACTION -> "TOKEN_TRANSACTION";
            default -> Integer.toString(type);
        };
    }
}
