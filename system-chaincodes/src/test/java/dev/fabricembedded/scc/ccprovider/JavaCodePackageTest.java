package dev.fabricembedded.scc.ccprovider;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.scc.fixtures.TestPackages;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class JavaCodePackageTest {

    @Test
    void acceptsAJarAndATarGzOfJarsAndRejectsTheirCorruptions() throws Exception {
        ByteString jar = TestPackages.jar("x");
        ByteString tarGz = TestPackages.tarGz(Map.of("lib/a.jar", jar, "lib/b.jar", TestPackages.jar("y")));
        assertThatCode(() -> JavaCodePackage.validate(jar)).doesNotThrowAnyException();
        assertThatCode(() -> JavaCodePackage.validate(tarGz)).doesNotThrowAnyException();

        ByteString truncatedJar = jar.substring(0, jar.size() / 2);
        assertThatThrownBy(() -> JavaCodePackage.validate(truncatedJar.concat(ByteString.copyFrom(new byte[3]))))
                .hasMessageStartingWith("code package is not a readable jar");

        byte[] header = TestPackages.tarHeader("lib/a.jar", 10);
        header[0] ^= 1; // checksum no longer matches
        assertThatThrownBy(() -> JavaCodePackage.validate(gzip(header, new byte[512], new byte[1024])))
                .hasMessage("code package is not a readable tar.gz: bad tar header checksum");
        byte[] good = TestPackages.tarHeader("lib/a.jar", 2000);
        assertThatThrownBy(() -> JavaCodePackage.validate(gzip(good, new byte[100])))
                .hasMessageStartingWith("code package is not a readable tar.gz: unexpected end of data");
        assertThatThrownBy(() -> JavaCodePackage.validate(gzip(new byte[1024])))
                .hasMessage("code package is not a readable tar.gz: it has no entries");
        assertThatThrownBy(() -> JavaCodePackage.validate(ByteString.copyFrom(new byte[] {0x1f, (byte) 0x8b, 1})))
                .hasMessageStartingWith("code package is not a readable tar.gz");
        assertThatThrownBy(() -> JavaCodePackage.validate(ByteString.copyFrom(new byte[] {'P', 'K', 5, 6})))
                .hasMessageStartingWith("code package is neither a jar (zip) nor a tar.gz");
        assertThatThrownBy(() -> JavaCodePackage.validate(ByteString.EMPTY))
                .hasMessageStartingWith("code package is empty");
    }

    private static ByteString gzip(byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (byte[] p : parts) {
                gz.write(p);
            }
        }
        return ByteString.copyFrom(out.toByteArray());
    }
}
