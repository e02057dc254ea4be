package dev.meshdeck.dataplane.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * JSON for the xDS protos the sidecar prints ({@code /config_dump}), with the types that resolve their
 * {@code Any}s. Printed as protobuf's {@code JsonFormat} prints (field names as in the protos).
 */
public final class XdsJson {
    /** The messages whose files (and the files those import) name the types an {@code Any} may hold. */
    public static final List<Descriptor> TYPES = List.of(
            Listener.getDescriptor(),
            RouteConfiguration.getDescriptor(),
            Cluster.getDescriptor(),
            ClusterLoadAssignment.getDescriptor(),
            HttpConnectionManager.getDescriptor(),
            Router.getDescriptor(),
            HTTPFault.getDescriptor(),
            PreviousHostsPredicate.getDescriptor(),
            HttpProtocolOptions.getDescriptor(),
            UpstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
            ConfigDump.getDescriptor(),
            ListenersConfigDump.getDescriptor(),
            RoutesConfigDump.getDescriptor(),
            ClustersConfigDump.getDescriptor(),
            EndpointsConfigDump.getDescriptor());

    private static final ProtoJson PRINTER = new ProtoJson(TYPES);

    private XdsJson() {
    }

    public static String print(Message m) {
        try {
            return PRINTER.print(m);
        } catch (ProtoJson.UnknownTypeException e) {
            throw new IllegalArgumentException("cannot print " + m.getDescriptorForType().getFullName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code any} (and every {@code Any} inside it) can be printed with {@link #TYPES}. */
    public static boolean printable(Any any) {
        try {
            PRINTER.print(any);
            return true;
        } catch (ProtoJson.UnknownTypeException e) {
            return false;
        }
    }
}
