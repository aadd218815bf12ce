package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChaincodeOutputTest {

    @Test
    void keepsTheLastLinesOfAPumpedStream() throws Exception {
        final ChaincodeOutput output = new ChaincodeOutput("mycc:1.0");
        final String text = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));

        final Thread pump = output.pump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "stdout");
        pump.join(10_000);

        assertThat(pump.getName()).isEqualTo("chaincode-mycc:1.0-stdout");
        assertThat(pump.isDaemon()).isTrue();
        assertThat(output.lastLines()).hasSize(ExitStatus.MAX_OUTPUT_LINES).startsWith("line 11").endsWith("line 30");
    }

    @Test
    void assemblesLinesFromChunksPerStream() {
        final ChaincodeOutput output = new ChaincodeOutput("mycc:1.0");
        final byte[] euro = "€".getBytes(StandardCharsets.UTF_8);

        output.chunk("STDOUT", "hel".getBytes(StandardCharsets.UTF_8));
        output.chunk("STDERR", "err one\nerr ".getBytes(StandardCharsets.UTF_8));
        output.chunk("STDOUT", new byte[] {'l', 'o', ' ', euro[0]});
        output.chunk("STDOUT", new byte[] {euro[1], euro[2], '\n', 'x'});
        assertThat(output.lastLines()).containsExactly("err one", "hello €");

        output.flush();
        assertThat(output.lastLines()).containsExactlyInAnyOrder("err one", "hello €", "err ", "x");
    }
}
