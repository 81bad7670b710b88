package dev.policylayer.agent.instrument;

import dev.policylayer.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Registered at premain, before anything else: a plain JDK transformer that lets every class through untouched
 * except the few whose names hold a choke point (a hash-set lookup per loaded class; no matcher runs on the
 * others), which it hands to the Byte Buddy transformer once that is built, waiting for it if such a class loads
 * first. So Byte Buddy's start-up runs beside the application's instead of before it, and no choke-point class can
 * load unseen.
 *
 * <p>Closed when it cannot instrument: with {@code policylayer.fail=closed}, a choke-point class that cannot get
 * its advice (Byte Buddy failed to start, or failed on this class) is refused: the JVM gets bytes it cannot define
 * and the library cannot load, so none of its tools run unenforced; the log says why and what to do. With
 * {@code policylayer.fail=open} the class loads as it is, with a warning.
 */
public final class ChokePointWatcher implements ClassFileTransformer {
    /** How long a loading choke-point class waits for Byte Buddy to be built (CPU work only, normally under 1 s). */
    private static final long WAIT_SECONDS = 60;
    /** What the JVM gets for a class that must not load unenforced: not a class file, so defining it fails. */
    private static final byte[] REFUSED = new byte[] {0};

    private final Set<String> watched;
    private final boolean failOpen;
    private final CompletableFuture<ClassFileTransformer> transformer = new CompletableFuture<>();
    private volatile Instrumenter instrumenter;

    /** @param typeNames binary names of the types that hold choke points */
    public ChokePointWatcher(Set<String> typeNames, boolean failOpen) {
        this.watched = typeNames.stream().map(name -> name.replace('.', '/')).collect(Collectors.toUnmodifiableSet());
        this.failOpen = failOpen;
    }

    /** The agent can instrument: choke-point classes get their advice from now on. */
    public void ready(Instrumenter built, ClassFileTransformer byteBuddy) {
        instrumenter = built;
        transformer.complete(byteBuddy);
    }

    /** The agent cannot instrument (Byte Buddy did not start). */
    public void failed(Throwable why) {
        transformer.completeExceptionally(why);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer)
            throws IllegalClassFormatException {
        if (className == null || !watched.contains(className)) {
            return null;
        }
        String name = className.replace('/', '.');
        ClassFileTransformer byteBuddy;
        try {
            byteBuddy = transformer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException slow) {
            return cannotInstrument(name, "the agent did not finish starting within " + WAIT_SECONDS + "s", null);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return cannotInstrument(name, "the class loading thread was interrupted while the agent started", null);
        } catch (Exception failed) {
            return cannotInstrument(name, "the agent failed to start", failed.getCause() != null
                    ? failed.getCause() : failed);
        }
        byte[] advised;
        try {
            advised = byteBuddy.transform(module, loader, className, classBeingRedefined, protectionDomain,
                    classfileBuffer);
        } catch (Throwable failure) {
            return cannotInstrument(name, "instrumenting it failed", failure);
        }
        Instrumenter built = instrumenter;
        if (advised == null && built != null && built.failed(name)) {
            return cannotInstrument(name, "instrumenting it failed", null);
        }
        return advised;
    }

    private byte[] cannotInstrument(String name, String why, Throwable cause) {
        if (failOpen) {
            AgentLog.errorOnce("watch-" + name, why + "; " + name + " loads WITHOUT enforcement"
                    + " (policylayer.fail=open)", cause);
            return null;
        }
        AgentLog.errorOnce("watch-" + name, why + ", so " + name + " is refused: it cannot load, and none of its"
                + " tools run unenforced (policylayer.fail=closed). See the lines above for the cause; restart"
                + " with the problem fixed, or with policylayer.fail=open to let it load unenforced", cause);
        return REFUSED;
    }
}
