package dev.meshdeck.dataplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.Duration;
import com.google.protobuf.Int64Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.meshdeck.dataplane.xds.internal.XdsJson;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sidecar's JSON printer ({@code /config_dump}), with the Envoy types of its descriptor set, against
 * protobuf-java-util's {@code JsonFormat} with the full Envoy classes, which it replaces in the sidecar: the same
 * text for the golden xDS resources and for every well-known type.
 */
class XdsJsonTest {
    private static final JsonFormat.Printer REFERENCE = JsonFormat.printer().usingTypeRegistry(GoldenXds.registry())
            .preservingProtoFieldNames();
    private static final XdsJson JSON = XdsJson.load();

    /** {@code m} as the sidecar prints it for a dump: its bytes, with the descriptor set's type of the same name. */
    private static String print(Message m) {
        return JSON.print(m.getDescriptorForType().getFullName(), m.toByteString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bookinfo-all-v1-mtls-inbound-permissive.json", "bookinfo-all-v1-mtls.json",
        "bookinfo-ratings-test-abort.json", "bookinfo-reviews-80-20.json",
        "destination-rule-least-request-pool-outlier.json", "service-entry-and-workload-entries.json"})
    void printsEveryGoldenResourceAsJsonFormatDoes(String file) throws Exception {
        List<Message> resources = GoldenXds.messages(file);
        assertThat(resources).isNotEmpty();
        for (Message m : resources) {
            assertThat(print(m)).isEqualTo(REFERENCE.print(m));
            Any packed = Any.pack(m);
            assertThat(print(packed)).isEqualTo(REFERENCE.print(packed));
        }
    }

    @Test
    void printsWellKnownTypesScalarsAndEscapesAsJsonFormatDoes() throws Exception {
        Struct struct = Struct.newBuilder()
                .putFields("text", Value.newBuilder().setStringValue("a <b> & c='d' \"e\" \\ \n\t\u2028 ü").build())
                .putFields("number", Value.newBuilder().setNumberValue(1.5).build())
                .putFields("whole", Value.newBuilder().setNumberValue(3).build())
                .putFields("flag", Value.newBuilder().setBoolValue(true).build())
                .putFields("nothing", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
                .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setNumberValue(-2))
                        .addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                                .putFields("inner", Value.newBuilder().setStringValue("x").build())))).build())
                .putFields("empty", Value.newBuilder().setStructValue(Struct.getDefaultInstance()).build())
                .build();
        Cluster cluster = Cluster.newBuilder().setName("outbound|80||reviews")
                .setConnectTimeout(Duration.newBuilder().setSeconds(1).setNanos(250_000_000))
                .setPerConnectionBufferLimitBytes(UInt32Value.of(32_768))
                .setLbPolicyValue(99)
                .setMetadata(Metadata.newBuilder().putFilterMetadata("istio", struct))
                .build();
        ConfigDump dump = ConfigDump.newBuilder()
                .addConfigs(Any.pack(cluster))
                .addConfigs(Any.pack(Duration.newBuilder().setSeconds(-3).setNanos(-500).build()))
                .addConfigs(Any.pack(Timestamp.newBuilder().setSeconds(1_764_400_000L).setNanos(123_000_000).build()))
                .addConfigs(Any.pack(struct))
                .addConfigs(Any.pack(UInt32Value.of(7)))
                .addConfigs(Any.pack(Int64Value.of(-9_000_000_000L)))
                .addConfigs(Any.pack(BoolValue.of(false)))
                .addConfigs(Any.pack(DoubleValue.of(Double.NaN)))
                .addConfigs(Any.pack(BytesValue.of(ByteString.copyFrom(new byte[] {0, -1, 42}))))
                .addConfigs(Any.getDefaultInstance())
                .build();

        assertThat(print(dump)).isEqualTo(REFERENCE.print(dump));
        assertThat(print(cluster)).isEqualTo(REFERENCE.print(cluster));
        assertThat(print(ConfigDump.getDefaultInstance()))
                .isEqualTo(REFERENCE.print(ConfigDump.getDefaultInstance()));
    }

    @Test
    void printsWhatTheParserMakesOfMergedUnpackedAndOddlyEncodedBytes() throws Exception {
        List<Message> golden = GoldenXds.messages("bookinfo-all-v1-mtls.json");
        List<Cluster> clusters = golden.stream().filter(Cluster.class::isInstance).map(Cluster.class::cast).toList();
        int lbPolicy = Cluster.getDescriptor().findFieldByName("lb_policy").getNumber();
        int name = Cluster.getDescriptor().findFieldByName("name").getNumber();
        ByteString.Output odd = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(odd);
        out.writeEnum(lbPolicy, 0); // an explicit default: not set
        out.writeFixed32(name, 7); // the wrong wire type: an unknown field
        out.flush();
        // Two messages' bytes one after the other parse as their merge: repeated fields appended, singular
        // messages merged, the last oneof member and scalar winning, map keys kept once.
        ByteString merged = clusters.get(1).toByteString().concat(odd.toByteString())
                .concat(clusters.get(clusters.size() - 1).toByteString()).concat(clusters.get(2).toByteString());

        assertThat(JSON.print("envoy.config.cluster.v3.Cluster", merged))
                .isEqualTo(REFERENCE.print(Cluster.parseFrom(merged)));

        int codes = RetryPolicy.getDescriptor().findFieldByName("retriable_status_codes").getNumber();
        ByteString.Output unpacked = ByteString.newOutput();
        out = CodedOutputStream.newInstance(unpacked);
        out.writeUInt32(codes, 503);
        out.writeUInt32(codes, 504);
        out.flush();
        ByteString retry = unpacked.toByteString()
                .concat(RetryPolicy.newBuilder().addRetriableStatusCodes(500).addRetriableStatusCodes(-1).build()
                        .toByteString());

        assertThat(JSON.print("envoy.config.route.v3.RetryPolicy", retry))
                .contains("503, 504, 500, 4294967295")
                .isEqualTo(REFERENCE.print(RetryPolicy.parseFrom(retry)));
    }

    @Test
    void saysAnAnyOfAnUnknownTypeIsNotPrintable() {
        Any magic = Any.newBuilder().setTypeUrl("type.googleapis.com/acme.Magic").setValue(ByteString.copyFromUtf8("x"))
                .build();

        assertThat(JSON.printable("google.protobuf.Any", magic.toByteString())).isFalse();
        assertThat(JSON.printable("google.protobuf.Any", Any.pack(Cluster.getDefaultInstance()).toByteString())).isTrue();
    }
}
