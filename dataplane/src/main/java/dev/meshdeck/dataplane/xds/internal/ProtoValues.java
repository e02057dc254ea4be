package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.type.v3.FractionalPercent;
import dev.meshdeck.dataplane.xds.proto.google.protobuf.Any;
import java.time.Duration;

/** Small conversions from protobuf well-known types, with the checks every reader needs. */
public final class ProtoValues {
    private ProtoValues() {
    }

    public static Duration duration(dev.meshdeck.dataplane.xds.proto.google.protobuf.Duration d, String field) {
        if (d.getSeconds() < 0 || d.getNanos() < 0) {
            throw new XdsConfigException(field + ": " + d.getSeconds() + "s (expected: 0 or more)");
        }
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    /** Envoy's {@code FractionalPercent} as a share 0..1; a numerator over the denominator counts as 100%. */
    public static double fraction(FractionalPercent p, String field) {
        double denominator = switch (p.getDenominator()) {
            case HUNDRED -> 100;
            case TEN_THOUSAND -> 10_000;
            case MILLION -> 1_000_000;
            case UNRECOGNIZED -> throw new XdsConfigException(field + ".denominator: " + p.getDenominatorValue()
                    + " (expected: HUNDRED, TEN_THOUSAND or MILLION)");
        };
        return Math.min(1.0, p.getNumerator() / denominator);
    }

    /** A {@code uint32} that may exceed {@link Integer#MAX_VALUE} (4294967295 means "unlimited"), clamped. */
    public static int clampedUint32(int raw) {
        long v = Integer.toUnsignedLong(raw);
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    /** The type URL of the message type named {@code fullName} (Envoy's {@code type.googleapis.com/} prefix). */
    public static String typeUrl(String fullName) {
        return "type.googleapis.com/" + fullName;
    }

    /** Whether {@code any} holds the message type named {@code fullName}, whatever the URL's host part. */
    public static boolean is(Any any, String fullName) {
        return typeName(any).equals(fullName);
    }

    /**
     * Unpacks {@code any} as the message type named {@code fullName} with {@code parser}, or says what it was
     * and what was expected.
     */
    public static <T extends MessageLite> T unpack(Any any, String fullName, Parser<T> parser, String field) {
        if (!is(any, fullName)) {
            throw new XdsConfigException(field + ": type " + typeName(any) + " (expected: " + fullName + ")");
        }
        try {
            return parser.parseFrom(any.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new XdsConfigException(field + ": cannot be decoded as " + simpleName(fullName) + ": " + e.getMessage());
        }
    }

    public static String typeName(Any any) {
        String url = any.getTypeUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }
}
