package dev.policylayer.agent.integration;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A value per library object (a client's id, a server's calls in flight), looked up on every call without a lock:
 * the objects are spread over stripes by identity hash, each stripe a small copy-on-write array read with one
 * volatile load. Adding an object (once per object) takes a lock and drops the entries of objects collected
 * since. Held weakly: an object the app drops is not kept alive by the agent.
 */
public final class PerInstance<V> {
    private static final int STRIPES = 64;

    private record Entry<V>(WeakReference<Object> instance, V value) {
    }

    private final AtomicReferenceArray<Entry<V>[]> stripes = new AtomicReferenceArray<>(STRIPES);
    private final Function<Object, V> create;

    public PerInstance(Function<Object, V> create) {
        this.create = create;
    }

    /** The value for {@code instance}, created the first time it is seen. */
    public V of(Object instance) {
        int stripe = System.identityHashCode(instance) & (STRIPES - 1);
        Entry<V>[] entries = stripes.get(stripe);
        if (entries != null) {
            for (Entry<V> entry : entries) {
                if (entry.instance.get() == instance) {
                    return entry.value;
                }
            }
        }
        return add(stripe, instance);
    }

    /** The values of every object still alive. */
    public List<V> values() {
        List<V> all = new ArrayList<>();
        for (int i = 0; i < STRIPES; i++) {
            Entry<V>[] entries = stripes.get(i);
            if (entries != null) {
                for (Entry<V> entry : entries) {
                    if (entry.instance.get() != null) {
                        all.add(entry.value);
                    }
                }
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private synchronized V add(int stripe, Object instance) {
        Entry<V>[] entries = stripes.get(stripe);
        List<Entry<V>> kept = new ArrayList<>();
        if (entries != null) {
            for (Entry<V> entry : entries) {
                Object alive = entry.instance.get();
                if (alive == instance) {
                    return entry.value; // added by another thread meanwhile
                }
                if (alive != null) {
                    kept.add(entry);
                }
            }
        }
        V value = create.apply(instance);
        kept.add(new Entry<>(new WeakReference<>(instance), value));
        stripes.set(stripe, kept.toArray(new Entry[0]));
        return value;
    }
}
