package dev.meshdeck.controller.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in the mesh, for the event stream.
 *
 * @param time    when
 * @param type    what kind of thing
 * @param subject what it happened to: a node id, or {@code revision 7}
 * @param message a sentence for people
 */
public record MeshEvent(Instant time, Type type, String subject, String message) {
    public enum Type { CONFIG_APPLIED, CONFIG_ROLLED_BACK, PROXY_CONNECTED, PROXY_GONE, NACK_RECEIVED }

    public MeshEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        subject = subject == null ? "" : subject;
        message = message == null ? "" : message;
    }
}
