package dev.policylayer.agent.sdk;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * How to read the session id from a server call's context argument, worked out once per context class (the
 * lookup is far dearer than the read, and it sits on every call).
 */
final class SessionIds {
    /** Per context class: the exchange's {@code sessionId()}, its private {@code session.getId()}, or nothing. */
    static final ClassValue<Reader> FOR_CONTEXT = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            try {
                Method sessionId = type.getMethod("sessionId");
                return sessionId::invoke;
            } catch (NoSuchMethodException olderSdk) {
                return legacy(type);
            }
        }
    };

    private SessionIds() {
    }

    /** 0.8 to 0.10: the exchange holds its session in a private field; the session has {@code getId()}. */
    private static Reader legacy(Class<?> type) {
        try {
            Field session = type.getDeclaredField("session");
            session.setAccessible(true);
            return context -> {
                Object value = session.get(context);
                return value == null ? null : value.getClass().getMethod("getId").invoke(value);
            };
        } catch (NoSuchFieldException | RuntimeException noSession) {
            return context -> null; // a stateless transport context: there is no session
        }
    }

    @FunctionalInterface
    interface Reader {
        Object read(Object context) throws ReflectiveOperationException;
    }
}
