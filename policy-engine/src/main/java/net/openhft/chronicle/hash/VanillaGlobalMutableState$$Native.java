package net.openhft.chronicle.hash;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * A hand-written implementation of Chronicle Map's global mutable state (the file header's counters of
 * tiers and data size). Chronicle looks for a class of exactly this name first and, only when it is
 * missing, generates one with javapoet and compiles it in memory: about a second of start-up, the
 * jdk.compiler module (absent from a plain JRE) and two extra module flags. The byte layout is the one
 * chronicle-values derives from the interface's annotations (24-bit field at 0, 40-bit fields at 3 and
 * 8, 32-bit field at 13, 64-bit field at 17; 25 bytes): files stay compatible both ways. The tests
 * cover it by growing a persisted map past its first tier and reopening it.
 */
public final class VanillaGlobalMutableState$$Native implements VanillaGlobalMutableState {
    private static final int SIZE = 25;
    private static final long MASK_24 = (1L << 24) - 1;
    private static final long MASK_40 = (1L << 40) - 1;
    @SuppressWarnings("rawtypes")
    private BytesStore store;
    private long base;

    @Override public int getAllocatedExtraTierBulks() { return (int) (store.readInt(base) & MASK_24); }
    @Override public void setAllocatedExtraTierBulks(int v) {
        check(v, MASK_24);
        store.writeInt(base, (store.readInt(base) & ~(int) MASK_24) | v);
    }
    @Override public long getFirstFreeTierIndex() { return store.readLong(base + 3) & MASK_40; }
    @Override public void setFirstFreeTierIndex(long v) { put40(base + 3, v); }
    @Override public long getExtraTiersInUse() { return store.readLong(base + 8) & MASK_40; }
    @Override public void setExtraTiersInUse(long v) { put40(base + 8, v); }
    @Override public long getSegmentHeadersOffset() { return store.readInt(base + 13) & 0xFFFF_FFFFL; }
    @Override public void setSegmentHeadersOffset(long v) { check(v, 0xFFFF_FFFFL); store.writeInt(base + 13, (int) v); }
    @Override public long getDataStoreSize() { return store.readLong(base + 17); }
    @Override public void setDataStoreSize(long v) { check(v, Long.MAX_VALUE); store.writeLong(base + 17, v); }
    @Override public long addDataStoreSize(long addition) {
        long next = getDataStoreSize() + addition;
        if (next < 0) throw new IllegalStateException("data store size would become negative: " + next);
        store.writeLong(base + 17, next);
        return next;
    }
    private void put40(long at, long v) {
        check(v, MASK_40);
        store.writeLong(at, (store.readLong(at) & ~MASK_40) | v);
    }
    private static void check(long v, long max) {
        if (v < 0 || v > max) throw new IllegalArgumentException(v + " is outside [0, " + max + "]");
    }
    @SuppressWarnings("rawtypes")
    @Override public void bytesStore(BytesStore bytesStore, long offset, long length) {
        if (length != SIZE) throw new IllegalArgumentException("expected " + SIZE + " bytes, got " + length);
        this.store = bytesStore; this.base = offset;
    }
    @SuppressWarnings("rawtypes")
    @Override public BytesStore bytesStore() { return store; }
    @Override public long offset() { return base; }
    @Override public long maxSize() { return SIZE; }
}
