package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints protobuf messages as proto3 JSON, exactly as protobuf-java-util's {@code JsonFormat.printer()
 * .preservingProtoFieldNames()} does (pretty, two-space indent, Gson's HTML-safe string escapes), so that
 * {@code /config_dump} needs neither protobuf-java-util nor the Guava it pulls in. {@code Any}s are resolved
 * through the message types given, as {@code JsonFormat.TypeRegistry} does.
 */
public final class ProtoJson {
    /** An {@code Any} whose type is not among the known ones. */
    public static final class UnknownTypeException extends Exception {
        UnknownTypeException(String typeUrl) {
            super("Cannot find type for url: " + typeUrl);
        }
    }

    private static final Set<String> WRAPPERS = Set.of("google.protobuf.BoolValue", "google.protobuf.Int32Value",
            "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
            "google.protobuf.StringValue", "google.protobuf.BytesValue", "google.protobuf.FloatValue",
            "google.protobuf.DoubleValue");
    private static final Set<String> WELL_KNOWN = union(WRAPPERS, Set.of("google.protobuf.Any",
            "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask",
            "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"));

    private final Map<String, Descriptor> types;

    /** A printer that resolves {@code Any}s to {@code types} (message types by full name). */
    public ProtoJson(Map<String, Descriptor> types) {
        this.types = Map.copyOf(types);
    }

    public String print(Message message) throws UnknownTypeException {
        Out out = new Out();
        value(out, message);
        return out.sb.toString();
    }

    // ---- messages ----------------------------------------------------------------------------------------

    private void value(Out out, Message m) throws UnknownTypeException {
        String type = m.getDescriptorForType().getFullName();
        if (WELL_KNOWN.contains(type)) {
            wellKnown(out, m, type);
        } else {
            object(out, m, null);
        }
    }

    private void object(Out out, Message m, String typeUrl) throws UnknownTypeException {
        out.print("{\n");
        out.indent++;
        boolean printed = false;
        if (typeUrl != null) {
            out.print("\"@type\": " + string(typeUrl));
            printed = true;
        }
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            if (printed) {
                out.print(",\n");
            }
            printed = true;
            field(out, e.getKey(), e.getValue());
        }
        if (printed) {
            out.print("\n");
        }
        out.indent--;
        out.print("}");
    }

    private void field(Out out, FieldDescriptor f, Object v) throws UnknownTypeException {
        out.print("\"" + f.getName() + "\": ");
        if (f.isMapField()) {
            map(out, f, (List<?>) v);
        } else if (f.isRepeated()) {
            list(out, f, (List<?>) v);
        } else {
            single(out, f, v, false);
        }
    }

    private void list(Out out, FieldDescriptor f, List<?> values) throws UnknownTypeException {
        out.print("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.print(", ");
            }
            single(out, f, values.get(i), false);
        }
        out.print("]");
    }

    private void map(Out out, FieldDescriptor f, List<?> entries) throws UnknownTypeException {
        FieldDescriptor key = f.getMessageType().findFieldByName("key");
        FieldDescriptor val = f.getMessageType().findFieldByName("value");
        out.print("{\n");
        out.indent++;
        boolean printed = false;
        for (Object o : entries) {
            Message entry = (Message) o;
            if (printed) {
                out.print(",\n");
            }
            printed = true;
            single(out, key, entry.getField(key), true);
            out.print(": ");
            single(out, val, entry.getField(val), false);
        }
        if (printed) {
            out.print("\n");
        }
        out.indent--;
        out.print("}");
    }

    private void single(Out out, FieldDescriptor f, Object v, boolean quoted) throws UnknownTypeException {
        String q = quoted ? "\"" : "";
        switch (f.getType()) {
            case INT32, SINT32, SFIXED32 -> out.print(q + v + q);
            case INT64, SINT64, SFIXED64 -> out.print("\"" + v + "\"");
            case BOOL -> out.print(q + v + q);
            case FLOAT -> out.print(floating(((Float) v).doubleValue(), v.toString(), q));
            case DOUBLE -> out.print(floating((Double) v, v.toString(), q));
            case UINT32, FIXED32 -> out.print(q + Integer.toUnsignedString((Integer) v) + q);
            case UINT64, FIXED64 -> out.print("\"" + Long.toUnsignedString((Long) v) + "\"");
            case STRING -> out.print(string((String) v));
            case BYTES -> out.print("\"" + Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()) + "\"");
            case ENUM -> {
                EnumValueDescriptor e = (EnumValueDescriptor) v;
                if (e.getType().getFullName().equals("google.protobuf.NullValue")) {
                    out.print(quoted ? "\"NULL_VALUE\"" : "null");
                } else if (e.getIndex() == -1) {
                    out.print(q + e.getNumber() + q);
                } else {
                    out.print("\"" + e.getName() + "\"");
                }
            }
            case MESSAGE, GROUP -> value(out, (Message) v);
        }
    }

    private static String floating(double d, String text, String q) {
        if (Double.isNaN(d)) {
            return "\"NaN\"";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }
        return q + text + q;
    }

    // ---- well-known types --------------------------------------------------------------------------------

    private void wellKnown(Out out, Message m, String type) throws UnknownTypeException {
        var d = m.getDescriptorForType();
        switch (type) {
            case "google.protobuf.Any" -> any(out, m);
            case "google.protobuf.Timestamp" -> out.print("\"" + timestamp(
                    (Long) m.getField(d.findFieldByName("seconds")), (Integer) m.getField(d.findFieldByName("nanos"))) + "\"");
            case "google.protobuf.Duration" -> out.print("\"" + duration(
                    (Long) m.getField(d.findFieldByName("seconds")), (Integer) m.getField(d.findFieldByName("nanos"))) + "\"");
            case "google.protobuf.FieldMask" -> out.print(string(fieldMask(m)));
            case "google.protobuf.Struct" -> {
                FieldDescriptor fields = d.findFieldByName("fields");
                map(out, fields, (List<?>) m.getField(fields));
            }
            case "google.protobuf.Value" -> {
                Map<FieldDescriptor, Object> set = m.getAllFields();
                if (set.isEmpty()) {
                    out.print("null");
                } else {
                    Map.Entry<FieldDescriptor, Object> e = set.entrySet().iterator().next();
                    single(out, e.getKey(), e.getValue(), false);
                }
            }
            case "google.protobuf.ListValue" -> {
                FieldDescriptor values = d.findFieldByName("values");
                list(out, values, (List<?>) m.getField(values));
            }
            default -> { // a wrapper
                FieldDescriptor value = d.findFieldByName("value");
                single(out, value, m.getField(value), false);
            }
        }
    }

    private void any(Out out, Message m) throws UnknownTypeException {
        var d = m.getDescriptorForType();
        String typeUrl = (String) m.getField(d.findFieldByName("type_url"));
        ByteString bytes = (ByteString) m.getField(d.findFieldByName("value"));
        if (typeUrl.isEmpty() && bytes.isEmpty()) {
            out.print("{}");
            return;
        }
        Descriptor type = types.get(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
        if (type == null) {
            throw new UnknownTypeException(typeUrl);
        }
        DynamicMessage content;
        try {
            content = DynamicMessage.parseFrom(type, bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("an Any of type " + typeUrl + " does not decode: " + e.getMessage(), e);
        }
        if (!WELL_KNOWN.contains(type.getFullName())) {
            object(out, content, typeUrl);
            return;
        }
        out.print("{\n");
        out.indent++;
        out.print("\"@type\": " + string(typeUrl) + ",\n");
        out.print("\"value\": ");
        wellKnown(out, content, type.getFullName());
        out.print("\n");
        out.indent--;
        out.print("}");
    }

    /** RFC 3339 in UTC, with 0, 3, 6 or 9 fractional digits (as protobuf's {@code Timestamps.toString}). */
    static String timestamp(long seconds, int nanos) {
        String base = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
                .format(Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC));
        return base + fraction(nanos) + "Z";
    }

    /** Seconds with 0, 3, 6 or 9 fractional digits and an {@code s} (as protobuf's {@code Durations.toString}). */
    static String duration(long seconds, int nanos) {
        boolean negative = seconds < 0 || nanos < 0;
        return (negative ? "-" : "") + Math.abs(seconds) + fraction(Math.abs(nanos)) + "s";
    }

    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        if (nanos % 1_000_000 == 0) {
            return String.format(".%03d", nanos / 1_000_000);
        }
        if (nanos % 1_000 == 0) {
            return String.format(".%06d", nanos / 1_000);
        }
        return String.format(".%09d", nanos);
    }

    private static String fieldMask(Message m) {
        FieldDescriptor paths = m.getDescriptorForType().findFieldByName("paths");
        StringBuilder sb = new StringBuilder();
        for (Object p : (List<?>) m.getField(paths)) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            boolean upper = false;
            for (char c : ((String) p).toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    sb.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
        }
        return sb.toString();
    }

    /** A JSON string as Gson writes it by default (HTML-safe: {@code < > & = '} escaped). */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /** The text, indenting each new line. */
    private static final class Out {
        final StringBuilder sb = new StringBuilder();
        int indent;
        private boolean atLineStart = true;

        void print(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (atLineStart && c != '\n') {
                    sb.append("  ".repeat(indent));
                    atLineStart = false;
                }
                sb.append(c);
                if (c == '\n') {
                    atLineStart = true;
                }
            }
        }
    }
}
