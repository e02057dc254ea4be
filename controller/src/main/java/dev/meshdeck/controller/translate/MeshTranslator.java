package dev.meshdeck.controller.translate;

import dev.meshdeck.controller.config.MeshConfig;
import dev.meshdeck.controller.registry.RegistryState;
import dev.meshdeck.controller.translate.internal.MeshModel;
import dev.meshdeck.controller.translate.internal.Translation;
import java.util.Objects;

/**
 * The heart of the controller: a pure function from the mesh config and the registry to the xDS
 * resources of every proxy. No I/O, no clock; the same input gives byte-identical resources and the same
 * versions, whatever order the config documents or proxies came in.
 */
public final class MeshTranslator {
    /** Istio's default trust domain, used in the SPIFFE identities a client expects of a service. */
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    /** What sidecars' inbound listeners accept unless configured otherwise. */
    public static final InboundTls DEFAULT_INBOUND_TLS = InboundTls.PLAINTEXT;

    private final String trustDomain;
    private final InboundTls inboundTls;

    public MeshTranslator() {
        this(DEFAULT_TRUST_DOMAIN, DEFAULT_INBOUND_TLS);
    }

    /** A translator for a mesh whose workloads are {@code spiffe://<trustDomain>/ns/<ns>/sa/<sa>}. */
    public MeshTranslator(String trustDomain) {
        this(trustDomain, DEFAULT_INBOUND_TLS);
    }

    /**
     * A translator for a mesh whose workloads are {@code spiffe://<trustDomain>/ns/<ns>/sa/<sa>}, whose
     * sidecars' inbound listeners accept {@code inboundTls}.
     */
    public MeshTranslator(String trustDomain, InboundTls inboundTls) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        this.inboundTls = Objects.requireNonNull(inboundTls, "inboundTls");
        if (trustDomain.isEmpty() || trustDomain.contains("/")) {
            throw new IllegalArgumentException("trustDomain: \"" + trustDomain
                    + "\" (expected: a domain name such as cluster.local)");
        }
        this.trustDomain = trustDomain;
    }

    public String trustDomain() {
        return trustDomain;
    }

    public InboundTls inboundTls() {
        return inboundTls;
    }

    /**
     * Translates {@code config} for the proxies of {@code registry}. Resources shared by all proxies
     * (clusters, endpoints, the outbound route config) are built and hashed here, once.
     *
     * @throws IllegalArgumentException when the config holds something validation should have refused
     *                                  (a route with no destination, an unknown redirect code)
     */
    public TranslatedMesh translate(MeshConfig config, RegistryState registry) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        return new TranslatedMesh(new Translation(MeshModel.build(config, registry, trustDomain), inboundTls));
    }
}
