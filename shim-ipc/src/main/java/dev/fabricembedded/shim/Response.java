package dev.fabricembedded.shim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a chaincode returns from {@link Chaincode#init} and {@link Chaincode#invoke}: Fabric's {@code peer.Response}
 * (status, message, payload) as a value.
 *
 * <p>The status decides what the peer does with the transaction, exactly as with Fabric's Java shim: a status of
 * {@link #INTERNAL_SERVER_ERROR} (500) or more is sent to the peer as an {@code ERROR} message carrying only the
 * message text (the endorser then answers {@code transaction returned with failure: <message>}); any other status
 * is sent as {@code COMPLETED} with the whole response, and the endorser endorses statuses below
 * {@link #ERROR_THRESHOLD} (400). Statuses other than the three named constants (404, 409...) are allowed.
 *
 * <p>Instances are immutable: the payload is copied in and out.
 */
public final class Response {

    /** Fabric's {@code shim.OK}: the transaction succeeded. */
    public static final int SUCCESS = 200;
    /** Fabric's {@code shim.ERRORTHRESHOLD}: statuses from here on are errors the endorser does not endorse. */
    public static final int ERROR_THRESHOLD = 400;
    /** Fabric's {@code shim.ERROR}: statuses from here on make the shim send {@code ERROR} to the peer. */
    public static final int INTERNAL_SERVER_ERROR = 500;

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final int status;
    private final String message;
    private final byte[] payload;

    private Response(final int status, final String message, final byte[] payload) {
        this.status = status;
        this.message = message == null ? "" : message;
        this.payload = payload == null ? NO_PAYLOAD : payload.clone();
    }

    /** A response with any status, message and payload ({@code null} message and payload mean empty). */
    public static Response of(final int status, final String message, final byte[] payload) {
        return new Response(status, message, payload);
    }

    /** Status 200, no message, no payload. */
    public static Response success() {
        return new Response(SUCCESS, "", NO_PAYLOAD);
    }

    /** Status 200 with a payload. */
    public static Response success(final byte[] payload) {
        return new Response(SUCCESS, "", payload);
    }

    /** Status 200 with a UTF-8 payload. */
    public static Response success(final String payload) {
        return new Response(SUCCESS, "", Objects.requireNonNull(payload, "payload").getBytes(StandardCharsets.UTF_8));
    }

    /** Status 200 with a message and a payload. */
    public static Response success(final String message, final byte[] payload) {
        return new Response(SUCCESS, message, payload);
    }

    /** Status 500 with a message (Fabric's {@code shim.Error(msg)}). */
    public static Response error(final String message) {
        return new Response(INTERNAL_SERVER_ERROR, message, NO_PAYLOAD);
    }

    /** Status 500 with a message and a payload. */
    public static Response error(final String message, final byte[] payload) {
        return new Response(INTERNAL_SERVER_ERROR, message, payload);
    }

    /** The status code (200, 400, 404, 500...). */
    public int status() {
        return status;
    }

    /** The message; empty when none was given. */
    public String message() {
        return message;
    }

    /** A copy of the payload; empty when none was given. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8. */
    public String stringPayload() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** {@code true} for statuses below {@link #ERROR_THRESHOLD}, the ones an endorser endorses. */
    public boolean isSuccessful() {
        return status < ERROR_THRESHOLD;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Response r && r.status == status && r.message.equals(message)
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + message.hashCode()) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Response{status=" + status + ", message='" + message + "', payload=" + payload.length + " bytes}";
    }
}
