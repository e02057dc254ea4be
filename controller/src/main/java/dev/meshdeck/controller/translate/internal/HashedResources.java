package dev.meshdeck.controller.translate.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Resources of one xDS type, sorted by name, each with a content hash (the first 16 hex digits of the
 * SHA-256 of its deterministic serialization), and a version for the whole list: the hash of the
 * names and hashes in order. Equal lists have equal versions in any JVM; any change changes the version.
 */
public record HashedResources<T extends Message>(List<T> resources, List<String> hashes, String version) {
    private static final HexFormat HEX = HexFormat.of();

    public HashedResources {
        resources = List.copyOf(resources);
        hashes = List.copyOf(hashes);
    }

    /** Sorts {@code resources} by name and hashes them. */
    public static <T extends Message> HashedResources<T> of(List<T> resources) {
        List<T> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(Resources::getResourceName));
        List<String> hashes = new ArrayList<>(sorted.size());
        MessageDigest all = sha256();
        for (T r : sorted) {
            String h = hash(r);
            hashes.add(h);
            all.update(Resources.getResourceName(r).getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(h.getBytes(StandardCharsets.US_ASCII));
            all.update((byte) '\n');
        }
        return new HashedResources<>(sorted, hashes, HEX.formatHex(all.digest(), 0, 8));
    }

    /** The bytes of {@code m} in deterministic order (map entries sorted), as hashed. */
    public static byte[] deterministicBytes(Message m) {
        byte[] bytes = new byte[m.getSerializedSize()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("serializing into an array", e);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }

    /** The content hash of one resource: 16 hex digits. */
    public static String hash(Message m) {
        return HEX.formatHex(sha256().digest(deterministicBytes(m)), 0, 8);
    }

    /** A version made of other versions, e.g. the shared clusters' and a proxy's own cluster's. */
    public static String combine(String... versions) {
        MessageDigest d = sha256();
        for (String v : versions) {
            d.update(v.getBytes(StandardCharsets.UTF_8));
            d.update((byte) '+');
        }
        return HEX.formatHex(d.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
