/**
 * The sidecar's workload identity and TLS material, as Istio's agent provides them to Envoy: an EC key pair
 * and a PKCS#10 CSR for the SPIFFE ID ({@link dev.meshdeck.dataplane.tls.CertificateRequest}), signed by the
 * controller's CA over Istio's API ({@link dev.meshdeck.dataplane.tls.CaClient}), renewed at half its lifetime
 * ({@link dev.meshdeck.dataplane.tls.CertificateRotator}), kept in the local SDS
 * ({@link dev.meshdeck.dataplane.tls.SecretStore}: {@code default}, {@code ROOTCA}), and turned into Netty
 * {@code SslContext}s with ALPN ({@link dev.meshdeck.dataplane.tls.TlsContexts}). Decision 0006.
 */
package dev.meshdeck.dataplane.tls;
