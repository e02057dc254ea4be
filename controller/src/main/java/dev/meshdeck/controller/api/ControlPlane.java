package dev.meshdeck.controller.api;

import dev.meshdeck.controller.config.Kind;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the console and the command line ask of a controller. The gRPC {@code meshdeck.v1} service is a
 * thin adapter over it, and so is its client: the same interface in process or across the network.
 *
 * <p>Methods that take a revision number throw {@link java.util.NoSuchElementException} for a revision
 * that does not exist and {@link IllegalArgumentException} for other bad requests; a remote implementation
 * throws {@link ControllerUnavailableException} when the controller cannot be reached.
 */
public interface ControlPlane {

    /**
     * Validates {@code files} merged into the live config (or replacing it when {@code replace}) and,
     * unless {@code dryRun}, makes the result live as a new revision. All or nothing.
     */
    ApplyResult apply(List<SourceFile> files, boolean dryRun, boolean replace);

    /** The live config's documents, optionally of one kind, in key order. */
    List<StoredDocument> config(Optional<Kind> kind);

    /** Every revision, oldest first. */
    List<RevisionInfo> revisions();

    /**
     * The documents of revision {@code revision} in key order (0 is the empty config).
     *
     * @throws java.util.NoSuchElementException if there is no such revision
     */
    List<StoredDocument> revision(int revision);

    /** A unified diff from revision {@code from} to revision {@code to} (0 is the empty config). */
    String diff(int from, int to);

    /** Makes revision {@code revision}'s config live again, as a new revision. */
    ApplyResult rollback(int revision);

    /** The proxies the controller knows, with their sync state. */
    List<ProxyStatus> proxies();

    /** The controller's version, live revision, proxy counts and xDS address. */
    ControllerStatus status();

    /** Calls {@code listener} with every event from now on until the returned handle is closed. */
    AutoCloseable subscribe(Consumer<MeshEvent> listener);
}
