/**
 * The mesh CA: a root kept in the workspace ({@link dev.meshdeck.controller.ca.RootCaStore}) signs the
 * certificate requests of workloads for their SPIFFE IDs ({@link dev.meshdeck.controller.ca.MeshCa}),
 * served as Istio's {@code istio.v1.auth.IstioCertificateService} on the xDS port
 * ({@link dev.meshdeck.controller.ca.CertificateService}). Private keys of workloads never reach the
 * controller. See {@code docs/mesh-ca.md} and {@code docs/decisions/0005-mesh-ca.md}.
 */
package dev.meshdeck.controller.ca;
