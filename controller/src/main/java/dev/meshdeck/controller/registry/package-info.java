/**
 * The proxies of the mesh, learned from their xDS streams ({@link dev.meshdeck.controller.registry.ProxyRegistry}),
 * and what the controller reads from their nodes ({@link dev.meshdeck.controller.registry.ProxyInfo}).
 */
package dev.meshdeck.controller.registry;
