package dev.fabricembedded.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Status;

import java.util.Objects;

/**
 * The verdict of a broadcast {@link Rule}: accepted, or rejected with the status the client receives
 * ({@code BAD_REQUEST}, {@code FORBIDDEN}, ...) and Fabric's error text as the response's {@code info}.
 *
 * @param status  {@code SUCCESS} when accepted
 * @param message empty when accepted, otherwise Fabric's text
 */
public record FilterResult(Status status, String message) {

    private static final FilterResult ACCEPT = new FilterResult(Status.SUCCESS, "");

    public FilterResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** The shared accepting result. */
    public static FilterResult accept() {
        return ACCEPT;
    }

    /** A rejection with {@code BAD_REQUEST}. */
    public static FilterResult badRequest(String message) {
        return new FilterResult(Status.BAD_REQUEST, message);
    }

    /** A rejection with {@code FORBIDDEN} (Fabric's {@code ErrPermissionDenied}). */
    public static FilterResult forbidden(String message) {
        return new FilterResult(Status.FORBIDDEN, message);
    }

    public boolean isAccepted() {
        return status == Status.SUCCESS;
    }
}
