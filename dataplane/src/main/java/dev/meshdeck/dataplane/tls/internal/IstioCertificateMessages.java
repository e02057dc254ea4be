package dev.meshdeck.dataplane.tls.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.meshdeck.dataplane.grpc.GrpcMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio's {@code istio.v1.auth.IstioCertificateService/CreateCertificate} on the wire, encoded by hand
 * ({@code src/main/proto/istio/v1/auth/ca.proto} is the specification): two tiny messages do not warrant
 * generated classes and their descriptors in the sidecar's memory. Unknown fields of the response are
 * skipped, as protobuf requires.
 */
public final class IstioCertificateMessages {
    public static final String SERVICE = "istio.v1.auth.IstioCertificateService";
    public static final String METHOD = SERVICE + "/CreateCertificate";

    private static final int CSR = 1;
    private static final int VALIDITY_DURATION = 3;
    private static final int CERT_CHAIN = 1;

    /** {@code IstioCertificateRequest}: {@code csr} (PEM) and {@code validity_duration} (seconds). */
    public record Request(String csrPem, long validitySeconds) {
    }

    /** {@code IstioCertificateResponse}: {@code cert_chain}, PEM each, the leaf first and the root last. */
    public record Response(List<String> certChain) {
        public Response {
            certChain = List.copyOf(certChain);
        }
    }

    private IstioCertificateMessages() {
    }

    /** The unary method as the sidecar calls it. */
    public static final GrpcMethod<Request, Response> CREATE_CERTIFICATE = new GrpcMethod<>(METHOD,
            (request, out) -> out.write(encode(request)), IstioCertificateMessages::decodeResponse);

    public static byte[] encode(Request r) {
        try {
            int size = CodedOutputStream.computeStringSize(CSR, r.csrPem())
                    + (r.validitySeconds() != 0 ? CodedOutputStream.computeInt64Size(VALIDITY_DURATION, r.validitySeconds()) : 0);
            byte[] out = new byte[size];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeString(CSR, r.csrPem());
            if (r.validitySeconds() != 0) {
                o.writeInt64(VALIDITY_DURATION, r.validitySeconds());
            }
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(Response r) {
        try {
            int size = 0;
            for (String c : r.certChain()) {
                size += CodedOutputStream.computeStringSize(CERT_CHAIN, c);
            }
            byte[] out = new byte[size];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            for (String c : r.certChain()) {
                o.writeString(CERT_CHAIN, c);
            }
            o.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Request decodeRequest(InputStream in) throws IOException {
        CodedInputStream c = CodedInputStream.newInstance(in);
        String csr = "";
        long validity = 0;
        for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
            if (tag == tag(CSR, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                csr = c.readStringRequireUtf8();
            } else if (tag == tag(VALIDITY_DURATION, WireFormat.WIRETYPE_VARINT)) {
                validity = c.readInt64();
            } else {
                c.skipField(tag);
            }
        }
        return new Request(csr, validity);
    }

    public static Response decodeResponse(InputStream in) throws IOException {
        CodedInputStream c = CodedInputStream.newInstance(in);
        List<String> chain = new ArrayList<>();
        for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
            if (tag == tag(CERT_CHAIN, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                chain.add(c.readStringRequireUtf8());
            } else {
                c.skipField(tag);
            }
        }
        return new Response(chain);
    }

    /** A field's tag as protobuf encodes it: the field number and the wire type. */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }
}
