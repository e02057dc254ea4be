package dev.meshdeck.controller.ca;

import dev.meshdeck.controller.workspace.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Keeps the root CA in a directory ({@code <workspace>/ca}) so that a restarted controller keeps the mesh's
 * trust: {@code root-cert.pem} and {@code root-key.pem} (PKCS#8, mode 0600 on POSIX file systems), each
 * written atomically. The key is written first, so a crash between the two leaves a key without a
 * certificate, which is never used: the next start makes a new root.
 */
public final class RootCaStore {
    public static final String CERT_FILE = "root-cert.pem";
    public static final String KEY_FILE = "root-key.pem";

    private RootCaStore() {
    }

    /**
     * The root kept in {@code dir}, or a new one (written there) when there is none.
     *
     * @throws IOException when the files cannot be read or written, or hold a root that cannot serve
     *                     {@code trustDomain} now (another trust domain, expired, a key that does not fit)
     */
    public static RootCa loadOrCreate(Path dir, String trustDomain, Clock clock, SecureRandom random)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(clock, "clock");
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (Files.exists(certFile)) {
            return load(certFile, keyFile, trustDomain, clock);
        }
        createPrivateDirectory(dir);
        RootCa root = RootCa.create(trustDomain, clock, random);
        AtomicFiles.writeOwnerOnly(keyFile, root.privateKeyPem());
        AtomicFiles.write(certFile, root.certificatePem());
        return root;
    }

    private static RootCa load(Path certFile, Path keyFile, String trustDomain, Clock clock) throws IOException {
        String remedy = "; to start a new mesh CA, move " + certFile.getParent()
                + " away (every sidecar then needs a new certificate)";
        if (!Files.exists(keyFile)) {
            throw new IOException(certFile + " has no " + keyFile.getFileName()
                    + " beside it (expected: the root's private key)" + remedy);
        }
        RootCa root;
        try {
            root = RootCa.fromPem(Files.readString(certFile, StandardCharsets.US_ASCII),
                    Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("the root CA in " + certFile.getParent() + " cannot be used: " + e.getMessage()
                    + remedy, e);
        }
        if (!root.trustDomain().equals(trustDomain)) {
            throw new IOException("the root CA in " + certFile.getParent() + " is for trust domain \""
                    + root.trustDomain() + "\" (expected: \"" + trustDomain + "\", the controller's)" + remedy);
        }
        if (!clock.instant().isBefore(root.notAfter())) {
            throw new IOException("the root CA in " + certFile.getParent() + " expired on " + root.notAfter()
                    + remedy);
        }
        return root;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }
}
