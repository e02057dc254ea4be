package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.EnumType;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.Field;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.Kind;
import dev.meshdeck.dataplane.xds.internal.ProtoSchema.MessageType;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints serialized protobuf messages as proto3 JSON, exactly as protobuf-java-util's {@code JsonFormat.printer()
 * .preservingProtoFieldNames()} prints the parsed message (pretty, two-space indent, Gson's HTML-safe string
 * escapes), reading the wire format with the types of a {@link ProtoSchema}: no descriptor or message classes, no
 * protobuf-java-util or Guava. {@code Any}s are resolved through the schema's types, as
 * {@code JsonFormat.TypeRegistry} does. Fields print in field-number order; a field the type does not know is
 * skipped, as an unknown field is.
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
    private static final Set<String> OTHER_WELL_KNOWN = Set.of("google.protobuf.Any", "google.protobuf.Timestamp",
            "google.protobuf.Duration", "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
            "google.protobuf.ListValue");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ProtoSchema schema;

    public ProtoJson(ProtoSchema schema) {
        this.schema = schema;
    }

    /** The message of type {@code type} (full name) serialized in {@code bytes}. */
    public String print(String type, ByteString bytes) throws UnknownTypeException {
        Out out = new Out(true);
        value(out, messageType(type), bytes);
        return out.sb.toString();
    }

    /** Whether {@link #print} would print {@code bytes}: every {@code Any} inside names a known type. */
    public boolean printable(String type, ByteString bytes) {
        try {
            value(new Out(false), messageType(type), bytes);
            return true;
        } catch (UnknownTypeException e) {
            return false;
        }
    }

    /** The last value of field {@code name} of a {@code type} in {@code bytes}, or null if it has none. */
    Object field(String type, ByteString bytes, String name) {
        MessageType t = messageType(type);
        return parse(t, bytes).get(t.field(name).number());
    }

    private MessageType messageType(String name) {
        MessageType t = schema.message(name);
        if (t == null) {
            throw new IllegalArgumentException("no message type " + name + " in the schema");
        }
        return t;
    }

    // ---- the wire ----------------------------------------------------------------------------------------

    /**
     * The fields set in {@code bytes}, by number, as the parsed message holds them: a repeated field's values in a
     * list, a singular field's last value (a message's occurrences merged, a oneof's last member), a field without
     * presence left out when it holds its default. Values are raw: a varint or fixed64 as {@code Long}, a fixed32
     * as {@code Integer}, a length-delimited value as {@code ByteString}.
     */
    private TreeMap<Integer, Object> parse(MessageType t, ByteString bytes) {
        TreeMap<Integer, Object> fields = new TreeMap<>();
        Map<Integer, Integer> oneofs = null; // oneof index -> its member set last
        CodedInputStream in = ProtoSchema.input(bytes);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                Field f = t.field(WireFormat.getTagFieldNumber(tag));
                int wireType = WireFormat.getTagWireType(tag);
                if (f == null || (wireType != f.kind().wireType
                        && !(f.repeated() && f.kind().packable() && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED))) {
                    in.skipField(tag);
                    continue;
                }
                if (wireType != f.kind().wireType) { // packed
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (!in.isAtEnd()) {
                        add(fields, f, read(in, f.kind().wireType));
                    }
                    in.popLimit(limit);
                    continue;
                }
                Object v = read(in, wireType);
                if (f.kind() == Kind.ENUM && closedAndUnknown(f, v)) {
                    continue;
                }
                if (f.repeated()) {
                    add(fields, f, v);
                    continue;
                }
                if (f.oneof() >= 0) {
                    if (oneofs == null) {
                        oneofs = new HashMap<>();
                    }
                    Integer previous = oneofs.put(f.oneof(), f.number());
                    if (previous != null && previous != f.number()) {
                        fields.remove(previous);
                    }
                }
                Object old = fields.get(f.number());
                fields.put(f.number(), f.kind() == Kind.MESSAGE && old != null ? ((ByteString) old).concat((ByteString) v) : v);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a " + t.fullName() + " does not decode: " + e.getMessage(), e);
        }
        for (var it = fields.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Object> e = it.next();
            Field f = t.field(e.getKey());
            if (!f.repeated() && !f.presence() && isDefault(e.getValue())) {
                it.remove();
            }
        }
        return fields;
    }

    private boolean closedAndUnknown(Field f, Object v) {
        EnumType e = schema.enumType(f.typeName());
        return e != null && e.closed() && !e.names().containsKey((int) (long) (Long) v);
    }

    @SuppressWarnings("unchecked")
    private void add(TreeMap<Integer, Object> fields, Field f, Object v) {
        if (f.kind() == Kind.ENUM && closedAndUnknown(f, v)) {
            return;
        }
        List<Object> values = (List<Object>) fields.get(f.number());
        if (values == null) {
            values = new ArrayList<>();
            fields.put(f.number(), values);
        }
        values.add(v);
    }

    private static Object read(CodedInputStream in, int wireType) throws IOException {
        return switch (wireType) {
            case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
            case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
            case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32();
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
            default -> throw new InvalidProtocolBufferException("wire type " + wireType + " (expected: 0, 1, 2 or 5)");
        };
    }

    /** Whether a raw value is its field's default (0, +0.0, false, empty); instanceof, not a type switch's hidden class. */
    private static boolean isDefault(Object v) {
        if (v instanceof Long l) {
            return l == 0;
        }
        if (v instanceof Integer i) {
            return i == 0;
        }
        return v instanceof ByteString b && b.isEmpty();
    }

    /** A field's value when the message does not have it. */
    private static Object defaultValue(Field f) {
        return switch (f.kind().wireType) {
            case WireFormat.WIRETYPE_VARINT, WireFormat.WIRETYPE_FIXED64 -> 0L;
            case WireFormat.WIRETYPE_FIXED32 -> 0;
            default -> ByteString.EMPTY;
        };
    }

    // ---- messages ----------------------------------------------------------------------------------------

    private void value(Out out, MessageType t, ByteString bytes) throws UnknownTypeException {
        if (WRAPPERS.contains(t.fullName()) || OTHER_WELL_KNOWN.contains(t.fullName())) {
            wellKnown(out, t, bytes);
        } else {
            object(out, t, parse(t, bytes), null);
        }
    }

    private void object(Out out, MessageType t, TreeMap<Integer, Object> fields, String typeUrl)
            throws UnknownTypeException {
        out.print("{\n");
        out.indent++;
        boolean printed = false;
        if (typeUrl != null) {
            out.print("\"@type\": ");
            out.string(typeUrl);
            printed = true;
        }
        for (Map.Entry<Integer, Object> e : fields.entrySet()) {
            if (printed) {
                out.print(",\n");
            }
            printed = true;
            field(out, t.field(e.getKey()), e.getValue());
        }
        if (printed) {
            out.print("\n");
        }
        out.indent--;
        out.print("}");
    }

    private void field(Out out, Field f, Object v) throws UnknownTypeException {
        out.print("\"");
        out.print(f.name());
        out.print("\": ");
        MessageType entry = f.kind() == Kind.MESSAGE ? messageType(f.typeName()) : null;
        if (entry != null && entry.mapEntry()) {
            map(out, entry, (List<?>) v);
        } else if (f.repeated()) {
            list(out, f, (List<?>) v);
        } else {
            single(out, f, v, false);
        }
    }

    private void list(Out out, Field f, List<?> values) throws UnknownTypeException {
        out.print("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.print(", ");
            }
            single(out, f, values.get(i), false);
        }
        out.print("]");
    }

    /** A map, its entries in the order their keys first came, each key's last value (as a parsed map holds it). */
    private void map(Out out, MessageType entryType, List<?> entries) throws UnknownTypeException {
        Field key = entryType.field("key");
        Field val = entryType.field("value");
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (Object o : entries) {
            TreeMap<Integer, Object> entry = parse(entryType, (ByteString) o);
            Out k = new Out(true);
            single(k, key, entry.getOrDefault(key.number(), defaultValue(key)), true);
            byKey.put(k.sb.toString(), entry.getOrDefault(val.number(), defaultValue(val)));
        }
        out.print("{\n");
        out.indent++;
        boolean printed = false;
        for (Map.Entry<String, Object> e : byKey.entrySet()) {
            if (printed) {
                out.print(",\n");
            }
            printed = true;
            out.print(e.getKey());
            out.print(": ");
            single(out, val, e.getValue(), false);
        }
        if (printed) {
            out.print("\n");
        }
        out.indent--;
        out.print("}");
    }

    private void single(Out out, Field f, Object v, boolean quoted) throws UnknownTypeException {
        String q = quoted ? "\"" : "";
        switch (f.kind()) {
            case INT32, ENUM -> {
                int i = (int) (long) (Long) v;
                if (f.kind() == Kind.INT32) {
                    out.print(q + i + q);
                } else {
                    enumValue(out, f, i, q);
                }
            }
            case SINT32 -> out.print(q + CodedInputStream.decodeZigZag32((int) (long) (Long) v) + q);
            case SFIXED32 -> out.print(q + v + q);
            case INT64, SFIXED64 -> out.print("\"" + v + "\"");
            case SINT64 -> out.print("\"" + CodedInputStream.decodeZigZag64((Long) v) + "\"");
            case BOOL -> out.print(q + ((Long) v != 0) + q);
            case FLOAT -> {
                float x = Float.intBitsToFloat((Integer) v);
                out.print(floating(x, Float.toString(x), q));
            }
            case DOUBLE -> {
                double x = Double.longBitsToDouble((Long) v);
                out.print(floating(x, Double.toString(x), q));
            }
            case UINT32 -> out.print(q + Integer.toUnsignedString((int) (long) (Long) v) + q);
            case FIXED32 -> out.print(q + Integer.toUnsignedString((Integer) v) + q);
            case UINT64, FIXED64 -> out.print("\"" + Long.toUnsignedString((Long) v) + "\"");
            case STRING -> out.string((ByteString) v);
            case BYTES -> out.print("\"" + Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()) + "\"");
            case MESSAGE -> value(out, messageType(f.typeName()), (ByteString) v);
            case GROUP -> throw new IllegalArgumentException(f.name() + ": a group (expected: proto3 fields)");
        }
    }

    private void enumValue(Out out, Field f, int number, String q) {
        if (f.typeName().equals("google.protobuf.NullValue")) {
            out.print(q.isEmpty() ? "null" : "\"NULL_VALUE\"");
            return;
        }
        EnumType e = schema.enumType(f.typeName());
        String name = e == null ? null : e.names().get(number);
        out.print(name == null ? q + number + q : "\"" + name + "\"");
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

    private void wellKnown(Out out, MessageType t, ByteString bytes) throws UnknownTypeException {
        TreeMap<Integer, Object> m = parse(t, bytes);
        switch (t.fullName()) {
            case "google.protobuf.Any" -> any(out, t, m);
            case "google.protobuf.Timestamp" -> out.print("\"" + timestamp((Long) get(t, m, "seconds"),
                    (int) (long) (Long) get(t, m, "nanos")) + "\"");
            case "google.protobuf.Duration" -> out.print("\"" + duration((Long) get(t, m, "seconds"),
                    (int) (long) (Long) get(t, m, "nanos")) + "\"");
            case "google.protobuf.FieldMask" -> out.string(fieldMask((List<?>) m.getOrDefault(
                    t.field("paths").number(), List.of())));
            case "google.protobuf.Struct" -> map(out, messageType(t.field("fields").typeName()),
                    (List<?>) m.getOrDefault(t.field("fields").number(), List.of()));
            case "google.protobuf.Value" -> {
                if (m.isEmpty()) {
                    out.print("null");
                } else {
                    Map.Entry<Integer, Object> e = m.firstEntry();
                    single(out, t.field(e.getKey()), e.getValue(), false);
                }
            }
            case "google.protobuf.ListValue" -> list(out, t.field("values"),
                    (List<?>) m.getOrDefault(t.field("values").number(), List.of()));
            default -> single(out, t.field("value"), get(t, m, "value"), false); // a wrapper
        }
    }

    /** The value of singular field {@code name}, or its default. */
    private static Object get(MessageType t, TreeMap<Integer, Object> m, String name) {
        Field f = t.field(name);
        return m.getOrDefault(f.number(), defaultValue(f));
    }

    private void any(Out out, MessageType anyType, TreeMap<Integer, Object> m) throws UnknownTypeException {
        String typeUrl = ((ByteString) get(anyType, m, "type_url")).toStringUtf8();
        ByteString bytes = (ByteString) get(anyType, m, "value");
        if (typeUrl.isEmpty() && bytes.isEmpty()) {
            out.print("{}");
            return;
        }
        MessageType type = schema.message(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
        if (type == null) {
            throw new UnknownTypeException(typeUrl);
        }
        if (!WRAPPERS.contains(type.fullName()) && !OTHER_WELL_KNOWN.contains(type.fullName())) {
            object(out, type, parse(type, bytes), typeUrl);
            return;
        }
        out.print("{\n");
        out.indent++;
        out.print("\"@type\": ");
        out.string(typeUrl);
        out.print(",\n");
        out.print("\"value\": ");
        wellKnown(out, type, bytes);
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
            return "." + digits(nanos / 1_000_000, 3);
        }
        if (nanos % 1_000 == 0) {
            return "." + digits(nanos / 1_000, 6);
        }
        return "." + digits(nanos, 9);
    }

    /** {@code n} with leading zeros to {@code width} digits. */
    private static String digits(int n, int width) {
        String s = Integer.toString(n);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }

    private static String fieldMask(List<?> paths) {
        StringBuilder sb = new StringBuilder();
        for (Object p : paths) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            boolean upper = false;
            for (char c : ((ByteString) p).toStringUtf8().toCharArray()) {
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
        StringBuilder sb = new StringBuilder(s.length() + 2);
        string(sb, s);
        return sb.toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
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
                case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> unicodeEscape(sb, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }

    /** The text, indenting each new line; none at all for a dry run (which only finds unknown types). */
    private static final class Out {
        final StringBuilder sb;
        int indent;
        private boolean atLineStart = true;

        Out(boolean text) {
            this.sb = text ? new StringBuilder() : null;
        }

        void print(String s) {
            if (sb == null) {
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (atLineStart && c != '\n') {
                    indent();
                }
                sb.append(c);
                if (c == '\n') {
                    atLineStart = true;
                }
            }
        }

        /** {@code s} as a JSON string. */
        void string(String s) {
            if (sb != null) {
                if (atLineStart) {
                    indent();
                }
                ProtoJson.string(sb, s);
            }
        }

        void string(ByteString utf8) {
            if (sb != null) {
                string(utf8.toStringUtf8());
            }
        }

        private void indent() {
            for (int i = 0; i < indent; i++) {
                sb.append("  ");
            }
            atLineStart = false;
        }
    }
}
