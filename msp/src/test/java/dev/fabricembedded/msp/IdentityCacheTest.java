package dev.fabricembedded.msp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.fabricembedded.msp.devca.Organization;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IdentityCache}'s keys: the same bytes find the same entry whatever their representation, others do not. */
class IdentityCacheTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Identity IDENTITY =
            MspManager.of(ORG1.msp()).deserializeIdentity(Fixtures.serialized("Org1MSP", ORG1.client()));

    @Test
    void theSameBytesFindTheEntryWhateverTheirByteString() {
        byte[] bytes = randomBytes(811, 1);
        IdentityCache cache = new IdentityCache(4);
        cache.put(ByteString.copyFrom(bytes), IDENTITY);

        byte[] framed = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, framed, 7, bytes.length);
        ByteString slice = ByteString.copyFrom(framed).substring(7, 7 + bytes.length);
        ByteString rope = ByteString.copyFrom(bytes, 0, 100).concat(ByteString.copyFrom(bytes, 100, bytes.length - 100));

        assertThat(cache.get(ByteString.copyFrom(bytes))).isSameAs(IDENTITY);
        assertThat(cache.get(slice)).isSameAs(IDENTITY);
        assertThat(cache.get(rope)).isSameAs(IDENTITY);
    }

    @Test
    void bytesDifferingAnywhereOrInLengthAreOtherKeys() {
        byte[] bytes = randomBytes(811, 2);
        IdentityCache cache = new IdentityCache(4);
        cache.put(ByteString.copyFrom(bytes), IDENTITY);

        for (int position : new int[] {0, 7, 8, 400, bytes.length - 9, bytes.length - 1}) {
            byte[] changed = bytes.clone();
            changed[position] ^= 1;
            assertThat(cache.get(ByteString.copyFrom(changed))).as("byte %d changed", position).isNull();
        }
        assertThat(cache.get(ByteString.copyFrom(bytes, 0, bytes.length - 1))).isNull();
        assertThat(cache.get(ByteString.copyFrom(Arrays.copyOf(bytes, bytes.length + 1)))).isNull();
        assertThat(cache.get(ByteString.EMPTY)).isNull();
    }

    @Test
    void aStoredKeyKeepsOnlyACopyOfTheIdentitysBytes() {
        byte[] framed = randomBytes(900, 3);
        byte[] expected = Arrays.copyOfRange(framed, 50, 850);
        IdentityCache cache = new IdentityCache(4);
        // a slice of a buffer the test still holds: a key viewing it would change with it
        cache.put(UnsafeByteOperations.unsafeWrap(framed).substring(50, 850), IDENTITY);

        Arrays.fill(framed, (byte) 0);
        assertThat(cache.get(ByteString.copyFrom(expected))).isSameAs(IDENTITY);
        assertThat(cache.get(ByteString.copyFrom(new byte[800]))).isNull();
    }

    @Test
    void equalKeysHaveEqualHashes() {
        byte[] bytes = randomBytes(13, 4);
        IdentityCache.Key literal = IdentityCache.Key.of(ByteString.copyFrom(bytes));
        IdentityCache.Key copy = IdentityCache.Key.copyOf(ByteString.copyFrom(bytes).concat(ByteString.EMPTY));

        assertThat(literal).isEqualTo(copy).hasSameHashCodeAs(copy);
        assertThat(literal).isNotEqualTo(IdentityCache.Key.of(ByteString.copyFrom(bytes, 0, 12)));
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
