package dev.meshdeck.controller.config.load;

import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.MeshResource;
import java.util.List;

/**
 * What reading a file gave: the documents that are valid on their own, and every error of every document
 * (a document with errors is not among {@code documents}).
 */
public record LoadResult(List<LoadedDocument> documents, List<ConfigError> errors) {

    public LoadResult {
        documents = List.copyOf(documents);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public List<MeshResource> resources() {
        return documents.stream().map(LoadedDocument::resource).toList();
    }
}
