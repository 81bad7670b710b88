package dev.policylayer.agent.instrument;

import dev.policylayer.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Registered at premain, before anything else: a plain JDK transformer that lets every class through untouched
 * except the MCP SDK's choke-point classes, which it hands to the Byte Buddy transformer once that is built
 * (waiting for it if the SDK loads first). So Byte Buddy's start-up runs beside the application's instead of
 * before it, and no SDK class can load unseen.
 */
public final class SdkClassWatcher implements ClassFileTransformer {
    /** How long a loading SDK class waits for the agent to finish starting before it loads uninstrumented. */
    private static final long WAIT_SECONDS = 60;
    private static final Set<String> WATCHED = watched();

    private final CompletableFuture<ClassFileTransformer> transformer = new CompletableFuture<>();

    /** The agent has started: SDK classes are instrumented from now on. */
    public void ready(ClassFileTransformer byteBuddy) {
        transformer.complete(byteBuddy);
    }

    /** The agent could not start: SDK classes load as they are (and are said not to be enforced). */
    public void failed(Throwable why) {
        transformer.completeExceptionally(why);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer)
            throws IllegalClassFormatException {
        if (className == null || !WATCHED.contains(className)) {
            return null;
        }
        ClassFileTransformer byteBuddy;
        try {
            byteBuddy = transformer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException slow) {
            AgentLog.errorOnce("watch-timeout", "the agent did not finish starting within " + WAIT_SECONDS
                    + "s; " + className.replace('/', '.') + " loads WITHOUT enforcement", null);
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception failed) {
            AgentLog.errorOnce("watch-failed", "the agent failed to start; " + className.replace('/', '.')
                    + " loads WITHOUT enforcement", failed);
            return null;
        }
        return byteBuddy.transform(module, loader, className, classBeingRedefined, protectionDomain,
                classfileBuffer);
    }

    private static Set<String> watched() {
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (String type : ChokePoints.SERVER_TYPES) {
            names.add(type.replace('.', '/'));
        }
        names.add(ChokePoints.CLIENT_TYPE.replace('.', '/'));
        names.add(ChokePoints.LANGCHAIN4J_CLIENT_TYPE.replace('.', '/'));
        return Set.copyOf(names);
    }
}
