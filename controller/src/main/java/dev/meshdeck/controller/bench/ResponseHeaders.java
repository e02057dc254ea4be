package dev.meshdeck.controller.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a {@link DiscoveryResponse} without its resources: version, type URL and nonce only, the rest of the
 * bytes skipped (gRPC's message stream skips without copying). Writes whole responses.
 */
final class ResponseHeaders implements MethodDescriptor.Marshaller<DiscoveryResponse> {
    private static final int VERSION_INFO = 1;
    private static final int TYPE_URL = 4;
    private static final int NONCE = 5;

    @Override
    public InputStream stream(DiscoveryResponse value) {
        return value.toByteString().newInput();
    }

    @Override
    public DiscoveryResponse parse(InputStream stream) {
        DiscoveryResponse.Builder b = DiscoveryResponse.newBuilder();
        try (stream) {
            CodedInputStream in = CodedInputStream.newInstance(stream);
            in.setSizeLimit(Integer.MAX_VALUE);
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case VERSION_INFO -> b.setVersionInfo(in.readStringRequireUtf8());
                    case TYPE_URL -> b.setTypeUrl(in.readStringRequireUtf8());
                    case NONCE -> b.setNonce(in.readStringRequireUtf8());
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("unreadable DiscoveryResponse").withCause(e).asRuntimeException();
        }
        return b.build();
    }
}
