/** A benchmark of the model and layouts that needs no screen ({@code meshdeck bench viz}). */
package dev.meshdeck.viz.bench;
