package dev.meshdeck.controller.xds.internal;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;

/**
 * Packs each resource into an {@link Any} once, however many proxies it is sent to. The snapshots of one
 * translation share their resource instances (the mesh's clusters, its endpoints, a namespace's outbound
 * route config), and java-control-plane's default serializer packs them again for every response to every
 * proxy: with a thousand proxies, a route change serialized the same route config a thousand times.
 *
 * <p>Resources are told apart by identity, which is cheap and right for immutable messages; an entry lives
 * as long as its resource does (weak keys), so a resource of a replaced translation goes with it.
 */
public final class SharedResourceSerializer implements ProtoResourcesSerializer {
    private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();

    @Override
    public Any serialize(Message resource, Resources.ApiVersion apiVersion) {
        return packed.asMap().computeIfAbsent(resource, Any::pack);
    }
}
