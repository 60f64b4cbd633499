package org.warden.api.whatif;

import org.osgi.annotation.versioning.ConsumerType;

/** How far a replay is: called from the replaying thread now and then (not for every entry). */
@ConsumerType
@FunctionalInterface
public interface WhatIfProgress {

    /** Tells nothing. */
    WhatIfProgress NONE = (done, total) -> {
    };

    /**
     * @param done  history entries replayed so far
     * @param total entries to replay in all, or -1 while not known
     */
    void replayed(long done, long total);
}
