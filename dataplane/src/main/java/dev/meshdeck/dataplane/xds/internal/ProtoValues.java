package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;

/** Small conversions from protobuf well-known types, with the checks every reader needs. */
public final class ProtoValues {
    private ProtoValues() {
    }

    public static Duration duration(com.google.protobuf.Duration d, String field) {
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

    /** Unpacks {@code any} as {@code type}, or says what it was and what was expected. */
    public static <T extends Message> T unpack(Any any, Class<T> type, String field) {
        if (!any.is(type)) {
            throw new XdsConfigException(field + ": type " + typeName(any) + " (expected: "
                    + com.google.protobuf.Internal.getDefaultInstance(type).getDescriptorForType().getFullName() + ")");
        }
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new XdsConfigException(field + ": cannot be decoded as " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    public static String typeName(Any any) {
        String url = any.getTypeUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
