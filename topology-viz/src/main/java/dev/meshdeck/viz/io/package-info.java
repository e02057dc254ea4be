/**
 * Reading and writing topologies: the {@code meshdeck-topology/v1} JSON format
 * ({@link dev.meshdeck.viz.io.TopologyJson}) and generated meshes for trying scale
 * ({@link dev.meshdeck.viz.io.SyntheticTopology}).
 */
package dev.meshdeck.viz.io;
