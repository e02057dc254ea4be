package dev.meshdeck.dataplane.tls.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few DER (X.690) encodings a PKCS#10 certificate request needs: tag-length-value with definite
 * lengths, object identifiers, and the universal types used by RFC 2986 and RFC 5280.
 */
public final class Der {
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int OID = 0x06;
    public static final int BOOLEAN = 0x01;
    public static final int SEQUENCE = 0x30;
    public static final int SET = 0x31;

    private Der() {
    }

    /** One TLV whose value is the concatenation of {@code parts}. */
    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            value.writeBytes(p);
        }
        byte[] v = value.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(v.length + 6);
        out.write(tag);
        writeLength(out, v.length);
        out.writeBytes(v);
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... parts) {
        return tlv(SEQUENCE, parts);
    }

    public static byte[] set(byte[]... parts) {
        return tlv(SET, parts);
    }

    /** A small non-negative INTEGER. */
    public static byte[] integer(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("integer " + value + " (expected: 0..127)");
        }
        return tlv(INTEGER, new byte[] {(byte) value});
    }

    public static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xFF : 0x00)});
    }

    public static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING of whole bytes (no unused bits). */
    public static byte[] bitString(byte[] value) {
        return tlv(BIT_STRING, new byte[] {0}, value);
    }

    /** A context-specific implicit tag on a primitive value ({@code [n] IMPLICIT}). */
    public static byte[] contextPrimitive(int n, byte[] value) {
        return tlv(0x80 | n, value);
    }

    /** A context-specific implicit tag on a constructed value ({@code [n] IMPLICIT SET OF ...}). */
    public static byte[] contextConstructed(int n, byte[]... parts) {
        return tlv(0xA0 | n, parts);
    }

    public static byte[] ia5(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                throw new IllegalArgumentException("'" + s + "': not IA5 (expected: ASCII)");
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An OBJECT IDENTIFIER from its dotted form ({@code 1.2.840.10045.4.3.2}). */
    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) {
            throw new IllegalArgumentException("OID " + dotted + " (expected: at least two arcs)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, Long.parseLong(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        for (long t = v >>> 7; t != 0; t >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) ((v >>> (7 * g)) & 0x7F);
            out.write(g == 0 ? b : b | 0x80);
        }
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 128) {
            out.write(length);
            return;
        }
        int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((length >>> (8 * i)) & 0xFF);
        }
    }
}
