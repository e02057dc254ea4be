package dev.meshdeck.controller.config.load;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the test fixtures are: {@code src/test/resources/fixtures/}, and the shared Bookinfo originals. */
final class Fixtures {
    private Fixtures() {
    }

    /** A directory or file under {@code fixtures/} on the test class path. */
    static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The unmodified Bookinfo files the project keeps beside the repository ({@code ../shared/fixtures/
     * istio-bookinfo} from the repository's root, looked for from the working directory upwards).
     */
    static Optional<Path> sharedBookinfo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures/istio-bookinfo");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
