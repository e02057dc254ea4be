/**
 * Reading mesh config files: {@link dev.meshdeck.controller.config.load.ConfigLoader} turns Istio-shaped
 * multi-document YAML into the config records, checking each document on its own;
 * {@link dev.meshdeck.controller.config.load.ConfigValidator} checks what only the whole config can show
 * (duplicates, undefined subsets). Every error names file, document, resource, field path and line.
 */
package dev.meshdeck.controller.config.load;
