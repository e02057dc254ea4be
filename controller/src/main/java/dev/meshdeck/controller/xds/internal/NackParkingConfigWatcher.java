package dev.meshdeck.controller.xds.internal;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers a NACK with nothing until the snapshot changes. With {@link NackAwareAdsService} a NACK arrives
 * carrying the rejected version; telling the cache that the client already knows the resources it names
 * keeps the cache from sending them again at once.
 */
public final class NackParkingConfigWatcher implements ConfigWatcher {
    private final ConfigWatcher delegate;

    public NackParkingConfigWatcher(ConfigWatcher delegate) {
        this.delegate = delegate;
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
                             Consumer<Response> responseConsumer, boolean hasClusterChanged,
                             boolean allowDefaultEmptyEdsUpdate) {
        Set<String> known = request.hasErrorDetail() ? Set.copyOf(request.getResourceNamesList()) : knownResourceNames;
        return delegate.createWatch(ads, request, known, responseConsumer, hasClusterChanged, allowDefaultEmptyEdsUpdate);
    }

    @Override
    public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
                                       Map<String, String> resourceVersions, Set<String> pendingResources,
                                       boolean isWildcard, Consumer<DeltaResponse> responseConsumer,
                                       boolean hasClusterChanged) {
        return delegate.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources, isWildcard,
                responseConsumer, hasClusterChanged);
    }
}
