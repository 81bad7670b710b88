package dev.policylayer.agent.integration.mcpsdk.server;

import dev.policylayer.engine.decision.SessionRef;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * How to read the MCP session of a server call from its context argument, worked out once per context class (the
 * lookup is far dearer than the read, and it sits on every call): the exchange's {@code sessionId()} (0.11+), its
 * private {@code session}'s {@code getId()} (0.8 to 0.10), or no session at all for a stateless server's transport
 * context. A session that exists but cannot be read is said so ({@link SessionRef#unreadable}): it must not pass
 * for "no session", or session-scoped limits would quietly count the whole grant together.
 */
final class SessionIds {
    static final ClassValue<Reader> FOR_CONTEXT = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            try {
                Method sessionId = type.getMethod("sessionId");
                return context -> SessionRef.of(text(sessionId.invoke(context)));
            } catch (NoSuchMethodException olderSdk) {
                return legacy(type);
            }
        }
    };

    private SessionIds() {
    }

    /** The session of a call whose context is {@code context} (null on the oldest servers: no session). */
    static SessionRef of(Object context) {
        if (context == null) {
            return SessionRef.NONE;
        }
        try {
            return FOR_CONTEXT.get(context.getClass()).read(context);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            Throwable cause = unreadable.getCause() != null ? unreadable.getCause() : unreadable;
            return SessionRef.unreadable("reading it failed: " + cause);
        }
    }

    /** 0.8 to 0.10: the exchange holds its session in a private field; the session has {@code getId()}. */
    private static Reader legacy(Class<?> type) {
        if (type.getName().endsWith("TransportContext")) {
            return context -> SessionRef.NONE; // the stateless server: no session, by design
        }
        Field session;
        try {
            session = type.getDeclaredField("session");
            session.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException noWayIn) {
            String why = type.getName() + " has neither sessionId() nor a readable session field (" + noWayIn + ")";
            return context -> SessionRef.unreadable(why);
        }
        return context -> {
            Object value = session.get(context);
            if (value == null) {
                return SessionRef.unreadable("the exchange has no session");
            }
            return SessionRef.of(text(value.getClass().getMethod("getId").invoke(value)));
        };
    }

    private static String text(Object id) {
        return id == null ? null : id.toString();
    }

    @FunctionalInterface
    interface Reader {
        SessionRef read(Object context) throws ReflectiveOperationException;
    }
}
