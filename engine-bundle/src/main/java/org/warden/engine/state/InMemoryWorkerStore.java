package org.warden.engine.state;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The in-memory store: a {@link ConcurrentHashMap} whose {@code compute} gives per-worker atomic updates. */
public final class InMemoryWorkerStore implements WorkerStore {

    private final ConcurrentHashMap<String, WorkerRecord> records = new ConcurrentHashMap<>();

    @Override
    public WorkerRecord get(String workerId) {
        return records.get(workerId);
    }

    @Override
    public WorkerRecord update(String workerId, UnaryOperator<WorkerRecord> change) {
        return records.compute(workerId, (id, current) -> change.apply(current));
    }

    @Override
    public void forEach(Consumer<WorkerRecord> action) {
        records.values().forEach(action);
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public void clear() {
        records.clear();
    }
}
