package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The message and enum types of a serialized {@code FileDescriptorSet}, read straight from its bytes: what a
 * JSON printer needs (names, numbers, types, presence), without protobuf's descriptor classes (which would stay
 * loaded, ~150 classes and ~3 MB of metaspace, after one use).
 */
public final class ProtoSchema {
    /** A field's type, by its {@code FieldDescriptorProto.Type} number. */
    public enum Kind {
        DOUBLE(WireFormat.WIRETYPE_FIXED64), FLOAT(WireFormat.WIRETYPE_FIXED32), INT64(WireFormat.WIRETYPE_VARINT),
        UINT64(WireFormat.WIRETYPE_VARINT), INT32(WireFormat.WIRETYPE_VARINT), FIXED64(WireFormat.WIRETYPE_FIXED64),
        FIXED32(WireFormat.WIRETYPE_FIXED32), BOOL(WireFormat.WIRETYPE_VARINT),
        STRING(WireFormat.WIRETYPE_LENGTH_DELIMITED), GROUP(WireFormat.WIRETYPE_START_GROUP),
        MESSAGE(WireFormat.WIRETYPE_LENGTH_DELIMITED), BYTES(WireFormat.WIRETYPE_LENGTH_DELIMITED),
        UINT32(WireFormat.WIRETYPE_VARINT), ENUM(WireFormat.WIRETYPE_VARINT), SFIXED32(WireFormat.WIRETYPE_FIXED32),
        SFIXED64(WireFormat.WIRETYPE_FIXED64), SINT32(WireFormat.WIRETYPE_VARINT), SINT64(WireFormat.WIRETYPE_VARINT);

        /** The wire type of one value (a repeated scalar may also come packed, length-delimited). */
        public final int wireType;

        Kind(int wireType) {
            this.wireType = wireType;
        }

        static Kind of(int number) {
            if (number < 1 || number > values().length) {
                throw new IllegalArgumentException("field type " + number + " (expected: 1.." + values().length + ")");
            }
            return values()[number - 1];
        }

        /** Whether a repeated field of this kind may be packed. */
        public boolean packable() {
            return wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED && this != GROUP;
        }
    }

    /**
     * A field. {@code typeName}: the full name of its message or enum type, else null; {@code oneof}: the index of
     * its oneof in the message, or -1; {@code presence}: whether it is printed when it holds its default value.
     */
    public record Field(String name, int number, Kind kind, boolean repeated, String typeName, int oneof,
                        boolean presence) {
    }

    /** A message type; {@code mapEntry}: the entry type of a map field. */
    public record MessageType(String fullName, boolean mapEntry, Map<Integer, Field> byNumber,
                              Map<String, Field> byName) {
        public Field field(int number) {
            return byNumber.get(number);
        }

        /** The field {@code name}, which the type must have. */
        public Field field(String name) {
            Field f = byName.get(name);
            if (f == null) {
                throw new IllegalArgumentException("no field " + name + " in " + fullName);
            }
            return f;
        }
    }

    /** An enum type: value names by number (the first declared, for aliases); {@code closed}: a proto2 enum. */
    public record EnumType(String fullName, Map<Integer, String> names, boolean closed) {
    }

    private final Map<String, MessageType> messages = new HashMap<>();
    private final Map<String, EnumType> enums = new HashMap<>();

    private ProtoSchema() {
    }

    /** The types of every file of {@code set} (a serialized {@code FileDescriptorSet}). */
    public static ProtoSchema read(ByteString set) throws IOException {
        ProtoSchema schema = new ProtoSchema();
        CodedInputStream in = input(set);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) { // file
                schema.file(in.readBytes());
            } else {
                in.skipField(tag);
            }
        }
        return schema;
    }

    /** A reader of {@code bytes} whose length-delimited values share its bytes rather than copy them. */
    static CodedInputStream input(ByteString bytes) {
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        return in;
    }

    public MessageType message(String fullName) {
        return messages.get(fullName);
    }

    public EnumType enumType(String fullName) {
        return enums.get(fullName);
    }

    private void file(ByteString bytes) throws IOException {
        String pkg = "";
        String syntax = "proto2";
        List<ByteString> messageTypes = new ArrayList<>();
        List<ByteString> enumTypes = new ArrayList<>();
        CodedInputStream in = input(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 2 -> pkg = in.readStringRequireUtf8();
                case 4 -> messageTypes.add(in.readBytes());
                case 5 -> enumTypes.add(in.readBytes());
                case 12 -> syntax = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        boolean proto3 = syntax.equals("proto3");
        String prefix = pkg.isEmpty() ? "" : pkg + ".";
        for (ByteString m : messageTypes) {
            message(prefix, m, proto3);
        }
        for (ByteString e : enumTypes) {
            enumType(prefix, e, proto3);
        }
    }

    private void message(String prefix, ByteString bytes, boolean proto3) throws IOException {
        String name = "";
        boolean mapEntry = false;
        List<ByteString> fields = new ArrayList<>();
        List<ByteString> nested = new ArrayList<>();
        List<ByteString> nestedEnums = new ArrayList<>();
        CodedInputStream in = input(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readStringRequireUtf8();
                case 2 -> fields.add(in.readBytes());
                case 3 -> nested.add(in.readBytes());
                case 4 -> nestedEnums.add(in.readBytes());
                case 7 -> mapEntry = mapEntry(in.readBytes());
                default -> in.skipField(tag);
            }
        }
        String fullName = prefix + name;
        Map<Integer, Field> byNumber = new HashMap<>();
        Map<String, Field> byName = new HashMap<>();
        for (ByteString f : fields) {
            Field field = field(f, proto3);
            byNumber.put(field.number(), field);
            byName.put(field.name(), field);
        }
        messages.put(fullName, new MessageType(fullName, mapEntry, Map.copyOf(byNumber), Map.copyOf(byName)));
        for (ByteString n : nested) {
            message(fullName + ".", n, proto3);
        }
        for (ByteString e : nestedEnums) {
            enumType(fullName + ".", e, proto3);
        }
    }

    private static boolean mapEntry(ByteString options) throws IOException {
        boolean mapEntry = false;
        CodedInputStream in = input(options);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                mapEntry = in.readBool();
            } else {
                in.skipField(tag);
            }
        }
        return mapEntry;
    }

    private static Field field(ByteString bytes, boolean proto3) throws IOException {
        String name = "";
        int number = 0;
        boolean repeated = false;
        Kind kind = null;
        String typeName = null;
        int oneof = -1;
        boolean proto3Optional = false;
        CodedInputStream in = input(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readStringRequireUtf8();
                case 3 -> number = in.readInt32();
                case 4 -> repeated = in.readEnum() == 3; // LABEL_REPEATED
                case 5 -> kind = Kind.of(in.readEnum());
                case 6 -> typeName = in.readStringRequireUtf8();
                case 9 -> oneof = in.readInt32();
                case 17 -> proto3Optional = in.readBool();
                default -> in.skipField(tag);
            }
        }
        if (kind == null) {
            throw new IOException("field " + name + " has no type (expected: a resolved descriptor set)");
        }
        if (typeName != null) {
            if (!typeName.startsWith(".")) {
                throw new IOException("field " + name + " has type " + typeName
                        + " (expected: a fully qualified name, .package.Type)");
            }
            typeName = typeName.substring(1);
        }
        boolean presence = !repeated && (!proto3 || kind == Kind.MESSAGE || kind == Kind.GROUP || oneof >= 0
                || proto3Optional);
        return new Field(name, number, kind, repeated, typeName, oneof, presence);
    }

    private void enumType(String prefix, ByteString bytes, boolean proto3) throws IOException {
        String name = "";
        Map<Integer, String> names = new HashMap<>();
        CodedInputStream in = input(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readStringRequireUtf8();
                case 2 -> {
                    String valueName = "";
                    int number = 0;
                    CodedInputStream v = input(in.readBytes());
                    for (int t = v.readTag(); t != 0; t = v.readTag()) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> valueName = v.readStringRequireUtf8();
                            case 2 -> number = v.readInt32();
                            default -> v.skipField(t);
                        }
                    }
                    names.putIfAbsent(number, valueName);
                }
                default -> in.skipField(tag);
            }
        }
        enums.put(prefix + name, new EnumType(prefix + name, Map.copyOf(names), !proto3));
    }
}
