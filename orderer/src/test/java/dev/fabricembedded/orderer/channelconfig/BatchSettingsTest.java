package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchSettingsTest {

    @Test
    void defaultsAreFabricSampleValuesWithAShortEmbeddedTimeout() {
        assertThat(BatchSettings.FABRIC_SAMPLE).isEqualTo(new BatchSettings(500, 10 * 1024 * 1024, 2 * 1024 * 1024,
                Duration.ofSeconds(2)));
        assertThat(BatchSettings.EMBEDDED_DEFAULT.batchTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(BatchSettings.EMBEDDED_DEFAULT.maxMessageCount()).isEqualTo(500);
    }

    @Test
    void rejectsInvalidSettingsWithFabricTexts() {
        Duration t = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new BatchSettings(0, 10, 5, t))
                .hasMessage("Attempted to set the batch size max message count to an invalid value: 0");
        assertThatThrownBy(() -> new BatchSettings(1, 0, 5, t))
                .hasMessage("Attempted to set the batch size absolute max bytes to an invalid value: 0");
        assertThatThrownBy(() -> new BatchSettings(1, 10, 0, t))
                .hasMessage("Attempted to set the batch size preferred max bytes to an invalid value: 0");
        assertThatThrownBy(() -> new BatchSettings(1, 2, 3, t)).hasMessage(
                "Attempted to set the batch size preferred max bytes (3) greater than the absolute max bytes (2).");
        assertThatThrownBy(() -> new BatchSettings(1, 10, 5, Duration.ZERO))
                .hasMessage("Attempted to set the batch timeout to a non-positive value: 0s");
        assertThatThrownBy(() -> new BatchSettings(1, 1L << 32, 5, t)).hasMessageContaining("outside");
    }

    @Test
    void protoRoundTripUsesGoDurationText() {
        BatchSettings settings = new BatchSettings(10, 99 * 1024 * 1024, 512 * 1024, Duration.ofMillis(250));
        assertThat(settings.batchTimeoutProto().getTimeout()).isEqualTo("250ms");
        assertThat(settings.batchSizeProto().getMaxMessageCount()).isEqualTo(10);
        assertThat(BatchSettings.fromProto(settings.batchSizeProto(), settings.batchTimeoutProto())).isEqualTo(settings);
    }

    @Test
    void fromProtoReportsAnUnparsableTimeoutAsFabricDoes() {
        BatchSize size = BatchSize.newBuilder().setMaxMessageCount(1).setAbsoluteMaxBytes(10).setPreferredMaxBytes(5)
                .build();
        assertThatThrownBy(() -> BatchSettings.fromProto(size, BatchTimeout.newBuilder().setTimeout("soon").build()))
                .hasMessage("Attempted to set the batch timeout to a invalid value: time: invalid duration \"soon\"");
        assertThatThrownBy(() -> BatchSettings.fromProto(size, BatchTimeout.newBuilder().setTimeout("-1s").build()))
                .hasMessage("Attempted to set the batch timeout to a non-positive value: -1s");
    }

    @Test
    void sizesAreReadAsUnsigned() {
        BatchSize size = BatchSize.newBuilder().setMaxMessageCount(1).setAbsoluteMaxBytes(0xFFFF_FFFF)
                .setPreferredMaxBytes(0x8000_0000).build();
        BatchSettings settings = BatchSettings.fromProto(size, BatchTimeout.newBuilder().setTimeout("1s").build());
        assertThat(settings.absoluteMaxBytes()).isEqualTo(0xFFFF_FFFFL);
        assertThat(settings.preferredMaxBytes()).isEqualTo(0x8000_0000L);
        assertThat(BatchSettings.fromProto(settings.batchSizeProto(), settings.batchTimeoutProto())).isEqualTo(settings);
    }
}
