package dev.policylayer.agent.integration;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * How the agent calls into a library it must never link against (its version is the application's): by
 * reflection, with every way that can go wrong turned into an {@link UnknownShapeException} that names what was
 * missing. The library's own runtime failures pass through unchanged: they are not the agent's.
 */
public final class ReflectiveCalls {

    private ReflectiveCalls() {
    }

    public static Object invoke(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UnknownShapeException("calling " + method.getName() + " failed", cause);
        } catch (IllegalAccessException | IllegalArgumentException wrongShape) {
            throw new UnknownShapeException("calling " + method.getName() + " is not possible", wrongShape);
        }
    }

    public static Object construct(Constructor<?> constructor, Object... arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UnknownShapeException("constructing " + constructor.getDeclaringClass().getName()
                    + " failed", cause);
        } catch (InstantiationException | IllegalAccessException | IllegalArgumentException wrongShape) {
            throw new UnknownShapeException("constructing " + constructor.getDeclaringClass().getName()
                    + " is not possible", wrongShape);
        }
    }

    public static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException missing) {
            throw new UnknownShapeException(type.getName() + "." + name + " not found", missing);
        }
    }

    public static Method optionalMethod(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException missing) {
            return null;
        }
    }

    public static Constructor<?> optionalConstructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException missing) {
            return null;
        }
    }

    /** {@code name} as seen from {@code loader}, without initialising it. */
    public static Class<?> type(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError missing) {
            throw new UnknownShapeException(name + " is not visible from the library's class loader", missing);
        }
    }
}
