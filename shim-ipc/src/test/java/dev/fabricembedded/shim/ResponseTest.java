package dev.fabricembedded.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTest {

    @Test
    void statusConstantsAreFabricsShimConstants() {
        assertThat(Response.SUCCESS).isEqualTo(200);
        assertThat(Response.ERROR_THRESHOLD).isEqualTo(400);
        assertThat(Response.INTERNAL_SERVER_ERROR).isEqualTo(500);
    }

    @Test
    void successAndErrorFactoriesSetStatusMessageAndPayload() {
        assertThat(Response.success().status()).isEqualTo(200);
        assertThat(Response.success("hello").stringPayload()).isEqualTo("hello");
        final Response error = Response.error("boom");
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.message()).isEqualTo("boom");
        assertThat(error.payload()).isEmpty();
        assertThat(error.isSuccessful()).isFalse();
        assertThat(Response.of(404, "missing", null).isSuccessful()).isFalse();
        assertThat(Response.of(399, null, null).isSuccessful()).isTrue();
        assertThat(Response.of(399, null, null).message()).isEmpty();
    }

    @Test
    void payloadIsCopiedInAndOut() {
        final byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        final Response response = Response.success(bytes);
        bytes[0] = 'x';
        response.payload()[1] = 'y';
        assertThat(response.stringPayload()).isEqualTo("abc");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Response.of(200, "m", new byte[] {1, 2})).isEqualTo(Response.of(200, "m", new byte[] {1, 2}))
                .hasSameHashCodeAs(Response.of(200, "m", new byte[] {1, 2}))
                .isNotEqualTo(Response.of(200, "m", new byte[] {1, 3}));
    }
}
