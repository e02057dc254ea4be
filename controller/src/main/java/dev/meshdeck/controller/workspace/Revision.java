package dev.meshdeck.controller.workspace;

import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.StoredDocument;
import java.util.List;
import java.util.Objects;

/** One revision of the config: its metadata and all its documents, in key order. */
public record Revision(RevisionInfo info, List<StoredDocument> documents) {
    public Revision {
        Objects.requireNonNull(info, "info");
        documents = List.copyOf(documents);
    }

    public int number() {
        return info.number();
    }
}
