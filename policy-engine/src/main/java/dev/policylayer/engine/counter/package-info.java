/**
 * Rate and budget counters.
 *
 * <p>{@link dev.policylayer.engine.counter.CounterStore} is the contract the engine counts against.
 * {@link dev.policylayer.engine.counter.OffHeapCounterStore} keeps counters in a lock-free table, off-heap
 * in this JVM or in a file every JVM on the host maps; {@link dev.policylayer.engine.counter.DeferredCounterStore}
 * stands in while it opens on a background thread.
 *
 * <p>Guarantees: SLIDING never admits more than max in any interval of one window (whole buckets of
 * window/16, so it may refuse up to one bucket early); FIXED never more than max per calendar-aligned
 * UTC window (up to 2 x max across a boundary). No admission is lost to a contender that is itself
 * refused. The hot path takes no lock and allocates nothing; a store that cannot count answers
 * {@code Admission.Outcome.FAILED} and the engine denies.
 *
 * <p>Limits: at most {@code maxKeys} distinct counters (idle ones are reclaimed to make room, else new
 * ones fail closed); amounts up to {@link dev.policylayer.engine.counter.CounterUnits#MAX_UNITS} per
 * counter; processes sharing a file must share a clock (a clock running behind is counted against
 * conservatively, never in its favour) and a pid namespace (a dead process's lock is recognised by pid and start
 * time).
 */
package dev.policylayer.engine.counter;
