package dev.fabricembedded.jmh.ipc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gRPC baseline: one bidirectional-streaming method, like Fabric's {@code ChaincodeSupport.Register}
 * chat stream, whose server sends every message back. Messages are raw bytes (a byte-array marshaller) so
 * that both transports move exactly the same 100 bytes.
 */
final class GrpcEcho {

    static final MethodDescriptor<byte[], byte[]> CHAT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Chat"))
            .setRequestMarshaller(new BytesMarshaller())
            .setResponseMarshaller(new BytesMarshaller())
            .build();

    private GrpcEcho() {
    }

    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder("bench.Echo")
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(GrpcEcho::echo))
                .build();
    }

    private static StreamObserver<byte[]> echo(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                responses.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                responses.onCompleted();
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
