package dev.meshdeck.controller.workspace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a crash leaves either the old content or the new one, never a torn file: write a
 * temporary file in the same directory, force it to disk, rename it over the target atomically, then
 * force the directory so that the rename itself is durable.
 */
public final class AtomicFiles {
    /** Temporary files end in this; whatever a crash leaves of them can be deleted. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public static void write(Path target, String content) throws IOException {
        write(target, content, false);
    }

    /**
     * Like {@link #write(Path, String)}, for a secret such as a private key: on POSIX file systems the file
     * is readable and writable by its owner only ({@code 0600}) from the moment it exists.
     */
    public static void writeOwnerOnly(Path target, String content) throws IOException {
        write(target, content, true);
    }

    private static void write(Path target, String content, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temp = ownerOnly && posix
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    /** Makes a directory's entries durable; a no-op where the platform cannot open directories (Windows). */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; its renames are durable on their own (NTFS journal)
        }
    }
}
