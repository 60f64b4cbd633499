package org.warden.engine.store;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.warden.engine.state.Change;
import org.warden.engine.state.Journal;
import org.warden.engine.state.JournalEntry;
import org.warden.engine.state.WorkerRecord;

/**
 * A {@link Journal.Target} for store tests that keeps nothing: every call does nothing (history sizes 10 and 5, its
 * own scratch). A test overrides what it watches.
 */
class StubTarget implements Journal.Target {

    @Override
    public void applyJournaled(JournalEntry entry, boolean own, long ticket, long position) {
        // kept nowhere: a test that watches replays overrides this
    }

    @Override
    public void loadRecord(WorkerRecord record) {
        // kept nowhere: a test that watches checkpoints overrides this
    }

    @Override
    public void restored() {
        // nothing waits for the restore here
    }

    @Override
    public void forEachRecord(Consumer<WorkerRecord> action) {
        // holds no record
    }

    @Override
    public Change.Limits limits() {
        return new Change.Limits(10, 5);
    }

    @Override
    public void replace(String workerId, UnaryOperator<WorkerRecord> change) {
        // holds no record
    }

    @Override
    public Journal.Target scratch() {
        return this;
    }
}
