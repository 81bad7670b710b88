package dev.policylayer.engine.approval;

/**
 * Where an approval store's book lives (this JVM, a file, Redis), and its exclusive lock: {@link #locked} loads
 * the book, runs one operation on it while no other process or thread can, and saves it if it changed.
 */
public interface ApprovalStorage extends AutoCloseable {

    /** One operation on the book. */
    @FunctionalInterface
    interface Change<T> {
        T apply(ApprovalBook book) throws ApprovalStoreException;
    }

    <T> T locked(Change<T> change) throws ApprovalStoreException;

    /** For messages: {@code approvals in this JVM}, {@code approval file /var/lib/x.approvals}. */
    String describe();

    /** Whether an operation waits on the network (so the agent runs it off the caller's thread). */
    default boolean remote() {
        return false;
    }

    @Override
    default void close() {
    }
}
