/**
 * The sidecar's xDS client: {@link dev.meshdeck.dataplane.xds.AdsClient} holds one ADS stream to the
 * controller, ACKs and NACKs like Envoy and publishes complete
 * {@link dev.meshdeck.dataplane.config.ProxyConfig}s; {@link dev.meshdeck.dataplane.xds.XdsConfigReader}
 * validates Envoy v3 resources into those records (what it supports: {@code docs/dataplane-xds.md}).
 */
package dev.meshdeck.dataplane.xds;
