package dev.policylayer.agent.integration.mcpsdk.server;

import static dev.policylayer.agent.integration.ReflectiveCalls.invoke;

import dev.policylayer.agent.integration.PerInstance;
import dev.policylayer.agent.integration.ReflectiveCalls;
import dev.policylayer.agent.integration.mcpsdk.SdkBridge;
import dev.policylayer.agent.integration.mcpsdk.SdkBridges;
import dev.policylayer.agent.log.AgentLog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells a server's clients that its tool list changed ({@code notifications/tools/list_changed}) when the policy's
 * hide list does, without racing the server's own responses.
 *
 * <p>Before 2.1.0 the SDK's stdio transport emits with an unserialised sink: a message emitted while another thread
 * is still emitting one is dropped and the session stops answering. A notification sent from the agent's watch
 * thread while a response is being written would do exactly that. So every tools/call and tools/list through a
 * server is counted while in flight; a notification for a server with nothing in flight goes out at once, from
 * the worker pool a tool answers from; one for a busy server waits until its last call in flight has been answered,
 * and goes out on that call's thread right after its response (or after {@link #HOLD_SECONDS} at the latest).
 */
final class ListChanged {
    static final long HOLD_SECONDS = 30;

    /** One server: its calls in flight and whether a notification waits for them. */
    static final class Server {
        private final Object server;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicBoolean pending = new AtomicBoolean();

        private Server(Object server) {
            this.server = server;
        }

        void callStarted() {
            inFlight.incrementAndGet();
        }

        /** A call's response has gone out: if it was the last in flight, a waiting notification follows it. */
        void callEnded() {
            if (inFlight.decrementAndGet() == 0 && pending.get()) {
                send(false);
            }
        }

        /** The hide list changed. Returns whether the notification went out at once (nothing was in flight). */
        boolean announce() {
            pending.set(true);
            if (inFlight.get() == 0) {
                send(true);
                return true;
            }
            CompletableFuture.delayedExecutor(HOLD_SECONDS, TimeUnit.SECONDS).execute(() -> {
                if (pending.get()) {
                    send(true); // a call that never ends must not hold the news forever
                }
            });
            return false;
        }

        private void send(boolean onWorker) {
            if (!pending.compareAndSet(true, false)) {
                return;
            }
            try {
                Object mono = notification(server);
                if (mono == null) {
                    return; // a server that cannot notify (the stateless server)
                }
                SdkBridge sdk = SdkBridges.of(server);
                sdk.subscribe(onWorker ? sdk.onWorker(mono) : mono, failure -> AgentLog.errorOnce(
                        "notify-" + failure.getClass().getName(), "could not tell clients that the tool list changed",
                        failure));
            } catch (RuntimeException | LinkageError failure) {
                AgentLog.errorOnce("notify-" + failure.getClass().getName(), "could not tell clients that the tool"
                        + " list changed", failure);
            }
        }
    }

    private static final ClassValue<Method> NOTIFY = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            // Looked up on the first public class up the hierarchy: 0.8's AsyncServerImpl is package-private, and a
            // method found on it could not be invoked from here (the call still dispatches to the subclass).
            Class<?> visible = type;
            while (visible != null && !Modifier.isPublic(visible.getModifiers())) {
                visible = visible.getSuperclass();
            }
            return visible == null ? null : ReflectiveCalls.optionalMethod(visible, "notifyToolsListChanged");
        }
    };

    private final PerInstance<Server> servers = new PerInstance<>(Server::new);

    /** The state of {@code server}, created the first time it serves a call or a list. */
    Server of(Object server) {
        return servers.of(server);
    }

    /** Announces to every server seen; returns how many were told at once and how many after their calls. */
    int[] announceAll() {
        int now = 0;
        int later = 0;
        for (Server server : servers.values()) {
            if (server.announce()) {
                now++;
            } else {
                later++;
            }
        }
        return new int[] {now, later};
    }

    private static Object notification(Object server) {
        Method notify = NOTIFY.get(server.getClass());
        return notify == null ? null : invoke(notify, server);
    }
}
