package dev.meshdeck.dataplane.tls.internal;

import dev.meshdeck.dataplane.config.TlsSettings.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a PEM source: its file's content as it is now, or its inline text. */
public final class PemFiles {
    private PemFiles() {
    }

    /** @throws IllegalArgumentException naming the file when it cannot be read */
    public static byte[] read(Pem pem) {
        if (pem.inline() != null) {
            return pem.inline().getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Files.readAllBytes(Path.of(pem.path()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem.describe() + ": " + e.getMessage(), e);
        }
    }
}
