/**
 * Mesh config + registry state to Envoy xDS v3 resources: {@link dev.meshdeck.controller.translate.MeshTranslator}
 * translates, {@link dev.meshdeck.controller.translate.TranslatedMesh} hands each proxy its resources and
 * snapshot. Names follow {@code docs/decisions/0001-xds-resource-naming.md}
 * ({@link dev.meshdeck.controller.translate.XdsNames}).
 */
package dev.meshdeck.controller.translate;
