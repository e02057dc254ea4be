package dev.meshdeck.controller.workspace.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshdeck.controller.api.RevisionInfo;
import dev.meshdeck.controller.api.StoredDocument;
import dev.meshdeck.controller.config.Kind;
import dev.meshdeck.controller.config.ResourceKey;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The JSON file beside a revision's YAML: its {@link RevisionInfo}, the keys and line counts of its
 * documents in order,
 * and the SHA-256 of the YAML file, so that a YAML file from another (crashed) commit is never taken for
 * this revision's.
 */
public record RevisionMetadata(@JsonProperty("number") int number,
                               @JsonProperty("time") String time,
                               @JsonProperty("source") String source,
                               @JsonProperty("resources") int resources,
                               @JsonProperty("summary") String summary,
                               @JsonProperty("yamlSha256") String yamlSha256,
                               @JsonProperty("documents") List<Key> documents) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RevisionMetadata {
        documents = List.copyOf(documents == null ? List.of() : documents);
    }

    /** A document's key as written in JSON; the kind by its kind name. */
    public record Key(@JsonProperty("kind") String kind,
                      @JsonProperty("namespace") String namespace,
                      @JsonProperty("name") String name,
                      @JsonProperty("lines") int lines) {
        static Key of(StoredDocument d) {
            ResourceKey k = d.key();
            return new Key(k.kind().kindName(), k.namespace(), k.name(), ConfigText.lineCount(d.yaml()));
        }

        ResourceKey toResourceKey() {
            Kind kind = Kind.fromKindName(this.kind)
                    .orElseThrow(() -> new IllegalArgumentException("unknown kind '" + this.kind + "'"));
            if (namespace == null || name == null) {
                throw new IllegalArgumentException("document key without namespace or name");
            }
            return new ResourceKey(kind, namespace, name);
        }
    }

    /** Metadata for a revision of normalized documents. */
    public static RevisionMetadata of(RevisionInfo info, String yamlSha256, List<StoredDocument> docs) {
        return new RevisionMetadata(info.number(), info.time().toString(), info.source(), info.resources(),
                info.summary(), yamlSha256, docs.stream().map(Key::of).toList());
    }

    public RevisionInfo info() {
        return new RevisionInfo(number, Instant.parse(time), source, resources, summary);
    }

    public List<ResourceKey> keys() {
        return documents.stream().map(Key::toResourceKey).toList();
    }

    public List<Integer> lineCounts() {
        return documents.stream().map(Key::lines).toList();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot write revision metadata as JSON", e);
        }
    }

    /**
     * Reads and checks metadata.
     *
     * @throws IllegalArgumentException if it is not valid metadata
     */
    public static RevisionMetadata fromJson(String json) {
        RevisionMetadata m;
        try {
            m = JSON.readValue(json, RevisionMetadata.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not revision metadata: " + e.getMessage(), e);
        }
        if (m.time == null || m.yamlSha256 == null) {
            throw new IllegalArgumentException("revision metadata without time or yamlSha256");
        }
        try {
            Instant.parse(m.time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time: '" + m.time + "' (expected: an ISO-8601 instant)", e);
        }
        m.keys();
        return m;
    }
}
